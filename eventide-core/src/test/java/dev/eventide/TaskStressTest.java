package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stress checks of the task state word and the schedulers: no task lost, none run twice, none
 * polled concurrently, no wake-up lost, whatever the interleaving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskStressTest {

    @Test
    void aMillionTasksEachCompleteExactlyOnce() {
        int parents = 1_000;
        int children = 1_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(parents * children);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int p = 0; p < parents; p++) {
                int base = p * children;
                // half the parents are spawned from outside, and spawn their children from inside
                hs.add(rt.handle().spawn(() -> {
                    List<JoinHandle<Void>> kids = new ArrayList<>(children);
                    for (int c = 0; c < children; c++) {
                        int slot = base + c;
                        kids.add(Eventide.spawn((Future<Void>) cx -> {
                            runs.incrementAndGet(slot);
                            return Poll.ready(null);
                        }));
                    }
                    int done = 0;
                    for (JoinHandle<Void> k : kids) {
                        k.await();
                        done++;
                    }
                    return done;
                }));
            }
            long total = 0;
            for (JoinHandle<Integer> h : hs) {
                total += h.join();
            }
            assertThat(total).isEqualTo((long) parents * children);
        }
        for (int i = 0; i < runs.length(); i++) {
            if (runs.get(i) != 1) {
                throw new AssertionError("task " + i + " ran " + runs.get(i) + " times");
            }
        }
    }

    /**
     * A poll-based future woken by many threads at once: never polled concurrently, never after
     * it completed, and never left pending after the last wake (no lost wake-up).
     */
    @RepeatedTest(3)
    void concurrentWakesFromManyThreadsArePolledSeriallyAndNeverLost() throws Exception {
        int threads = 8;
        int wakesPerThread = 20_000;
        long target = (long) threads * wakesPerThread;
        AtomicLong produced = new AtomicLong();
        AtomicBoolean inPoll = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong polls = new AtomicLong();
        AtomicBoolean completed = new AtomicBoolean();
        AtomicInteger pollsAfterCompletion = new AtomicInteger();
        Waker[] waker = new Waker[1];
        CountDownLatch registered = new CountDownLatch(1);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            JoinHandle<Long> h = rt.handle().spawn((Future<Long>) cx -> {
                if (!inPoll.compareAndSet(false, true)) {
                    overlaps.incrementAndGet();
                }
                try {
                    if (completed.get()) {
                        pollsAfterCompletion.incrementAndGet();
                    }
                    polls.incrementAndGet();
                    waker[0] = cx.waker();
                    registered.countDown();
                    if (produced.get() == target) {
                        completed.set(true);
                        return Poll.ready(polls.get());
                    }
                    return Poll.pending();
                } finally {
                    inPoll.set(false);
                }
            });
            registered.await();
            List<Thread> wakers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                wakers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < wakesPerThread; i++) {
                        produced.incrementAndGet();
                        waker[0].wake();
                    }
                }));
            }
            for (Thread t : wakers) {
                t.join();
            }
            long pollCount = h.toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(overlaps.get()).as("concurrent polls").isZero();
            assertThat(pollsAfterCompletion.get()).isZero();
            assertThat(pollCount).as("wakes coalesce: at most one poll per wake").isLessThanOrEqualTo(target + 1);
        }
    }

    /** Random aborts racing with completion: every task ends exactly one way, and it is the right one. */
    @RepeatedTest(3)
    void randomAbortsUnderLoadLoseNoCompletion() throws Exception {
        int n = 20_000;
        AtomicIntegerArray reachedEnd = new AtomicIntegerArray(n);
        AtomicIntegerArray finallyRuns = new AtomicIntegerArray(n);
        AtomicIntegerArray started = new AtomicIntegerArray(n);
        AtomicBoolean go = new AtomicBoolean();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<JoinHandle<Integer>> hs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                hs.add(rt.handle().spawn(() -> {
                    started.set(k, 1);
                    try {
                        while (!go.get()) { // every task is alive while the first aborts land
                            Eventide.yieldNow().await();
                        }
                        for (int y = 0; y < 3; y++) {
                            Eventide.yieldNow().await();
                        }
                        reachedEnd.incrementAndGet(k);
                        return k;
                    } finally {
                        finallyRuns.incrementAndGet(k);
                    }
                }));
            }
            Thread aborter = Thread.ofPlatform().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < n / 4; i++) {
                    hs.get(rnd.nextInt(n)).abort();
                }
                go.set(true); // from here on, aborts race with completions
                for (int i = 0; i < n / 4; i++) {
                    hs.get(rnd.nextInt(n)).abort();
                }
            });
            aborter.join();
            int values = 0;
            int cancelled = 0;
            for (int i = 0; i < n; i++) {
                JoinHandle<Integer> h = hs.get(i);
                try {
                    assertThat(h.join()).isEqualTo(i);
                    values++;
                    assertThat(reachedEnd.get(i)).as("task %d returned without reaching its end", i).isEqualTo(1);
                } catch (CancelledException e) {
                    cancelled++;
                    assertThat(h.isCancelled()).isTrue();
                    assertThat(reachedEnd.get(i)).as("cancelled task %d also completed", i).isZero();
                }
                assertThat(finallyRuns.get(i)).as("finally of task %d", i).isEqualTo(started.get(i));
            }
            assertThat(values + cancelled).isEqualTo(n);
            assertThat(cancelled).isPositive();
        }
    }
}
