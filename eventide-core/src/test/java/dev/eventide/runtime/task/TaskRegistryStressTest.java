package dev.eventide.runtime.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.runtime.ExecContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry must never lose a live task (shutdown cancels tasks through it), whatever races
 * its three kinds of pruning: a full pruning by whoever wins a shard's flag, a worker unlinking
 * completed tasks right behind the head it just pushed, and walkers ({@code liveCount},
 * {@code forEachLive}) from other threads. Owners add to their own shards with plain stores
 * ({@code addOwned}), two foreign threads add to the shared one with a CAS ({@code add}), tasks
 * complete on every thread in random order, and at the end the tasks the registry reports live
 * are exactly the ones that never completed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskRegistryStressTest {

    /** A task whose completion the test controls; it is never scheduled. */
    private static final class Probe extends Task<Void> {
        Probe() {
            super(null, null);
        }

        void finishNow() {
            completeWithValue(null);
        }

        @Override
        protected boolean step(ExecContext cx) {
            return true;
        }

        @Override
        protected void onComplete() {
            // no scheduler to tell
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void noLiveTaskIsEverUnlinked(int round) throws Exception {
        int owners = 2;
        int foreigners = 2;
        int addsPerThread = 150_000;
        TaskRegistry registry = new TaskRegistry(owners + 1, owners);
        ConcurrentLinkedQueue<Probe> toFinishElsewhere = new ConcurrentLinkedQueue<>();
        Set<Probe> survivors = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicBoolean adding = new AtomicBoolean(true);
        List<Thread> adders = new ArrayList<>();
        for (int thread = 0; thread < owners + foreigners; thread++) {
            int s = Math.min(thread, owners); // the foreigners share the last shard
            adders.add(Thread.ofPlatform().unstarted(() -> {
                SplittableRandom r = new SplittableRandom(s * 7919L + System.nanoTime());
                List<Probe> mine = new ArrayList<>();
                for (int i = 0; i < addsPerThread; i++) {
                    Probe p = new Probe();
                    registry.countStarted(s);
                    if (registry.isOwned(s)) {
                        registry.addOwned(p, s);
                    } else {
                        registry.add(p, s);
                    }
                    mine.add(p);
                    int roll = r.nextInt(100);
                    if (roll < 60) {
                        mine.remove(mine.size() - 1).finishNow(); // a chain: the newest ends at once
                    } else if (roll < 80 && !mine.isEmpty()) {
                        mine.remove(r.nextInt(mine.size())).finishNow(); // an older one ends
                    } else if (roll < 90 && !mine.isEmpty()) {
                        toFinishElsewhere.add(mine.remove(r.nextInt(mine.size()))); // ends on another thread
                    }
                }
                survivors.addAll(mine); // never completed
            }));
        }
        Thread finisher = Thread.ofPlatform().start(() -> {
            SplittableRandom r = new SplittableRandom(1);
            while (adding.get() || !toFinishElsewhere.isEmpty()) {
                Probe p = toFinishElsewhere.poll();
                if (p == null) {
                    Thread.onSpinWait();
                } else if (r.nextInt(10) == 0) {
                    survivors.add(p); // some stay live
                } else {
                    p.finishNow();
                }
            }
        });
        Thread walker = Thread.ofPlatform().start(() -> {
            while (adding.get()) {
                registry.liveCount(); // full prunings from a thread that owns no shard
                registry.forEachLive(t -> { });
            }
        });
        adders.forEach(Thread::start);
        for (Thread t : adders) {
            t.join();
        }
        adding.set(false);
        finisher.join();
        walker.join();

        Set<Task<?>> reported = Collections.newSetFromMap(new IdentityHashMap<>());
        registry.forEachLive(reported::add);
        assertThat(reported).as("live tasks the registry reports").hasSameSizeAs(survivors);
        for (Probe p : survivors) {
            assertThat(reported.contains(p)).as("a live task is still registered").isTrue();
        }
        assertThat(registry.liveCount()).isEqualTo(survivors.size());
        assertThat(registry.startedTotal()).isEqualTo((long) (owners + foreigners) * addsPerThread);
    }
}
