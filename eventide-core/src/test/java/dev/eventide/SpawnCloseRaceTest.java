package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spawns racing a runtime's close: whatever the interleaving, once {@code close()} has returned
 * and the spawning threads have stopped, every handle ever returned is finished (completed, or
 * cancelled), and every async block that started ran its {@code finally}. A task spawned
 * from outside the workers is queued unregistered and registered by the worker that takes it,
 * so this is where a task could slip between the close's walks and be left queued forever.
 */
@Timeout(120)
class SpawnCloseRaceTest {
    private static final Future<Void> NEVER = cx -> Poll.pending();

    @Test
    void everyHandleFinishesWhenSpawnsFromOutsideAndInsideRaceClose() throws Exception {
        for (int round = 0; round < 40; round++) {
            race(round, round % 3 == 0 ? Eventide.builder().workerThreads(2).workStealing(false).build()
                    : Eventide.builder().workerThreads(2).build(), false);
        }
    }

    @Test
    void everyHandleFinishesOnACurrentThreadRuntimeDrivenByAnotherThread() throws Exception {
        for (int round = 0; round < 20; round++) {
            race(round, Eventide.currentThread(), true);
        }
    }

    private static void race(int round, Eventide rt, boolean driveIt) throws Exception {
        int spawners = 3;
        ConcurrentLinkedQueue<JoinHandle<?>> handles = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finallyRan = new AtomicInteger();
        AtomicLong spawned = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean stopDriving = new AtomicBoolean();
        Thread driver = null;
        if (driveIt) {
            // A current-thread runtime runs its tasks only inside blockOn: one thread drives it
            // until just before the close, which then drives it itself to run the cancellations.
            driver = Thread.ofPlatform().start(() -> rt.blockOn(() -> {
                while (!stopDriving.get()) {
                    Eventide.yieldNow().await();
                }
            }));
        }
        for (int s = 0; s < spawners; s++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    JoinHandle<?> h = switch (random.nextInt(4)) {
                        case 0 -> rt.handle().spawn(() -> { });
                        case 1 -> rt.handle().spawn(NEVER);
                        case 2 -> rt.handle().spawn(() -> {
                            started.incrementAndGet();
                            try {
                                NEVER.await();
                            } finally {
                                finallyRan.incrementAndGet();
                            }
                        });
                        default -> rt.handle().spawn(() -> {
                            // spawns from inside a worker race the close too
                            handles.add(Eventide.spawn(() -> { }));
                            handles.add(Eventide.spawn(NEVER));
                        });
                    };
                    handles.add(h);
                    spawned.incrementAndGet();
                    if (h.isCancelled() && rt.isClosed()) {
                        break; // spawned after the close: a cancelled handle, as documented
                    }
                }
            }));
        }
        go.countDown();
        long target = ThreadLocalRandom.current().nextLong(100, 3_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spawned.get() < target && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (driver != null) {
            stopDriving.set(true);
            driver.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(driver.isAlive()).isFalse();
        }
        boolean closed = rt.shutdownTimeout(java.time.Duration.ofSeconds(30));
        assertThat(closed).as(() -> "round " + round + ": close within its timeout; " + rt.taskDump()).isTrue();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).isFalse();
        }
        List<JoinHandle<?>> unfinished = handles.stream().filter(h -> !h.isFinished()).toList();
        assertThat(unfinished).as("round %d: handles left unfinished after close (of %d)", round, handles.size())
                .isEmpty();
        assertThat(finallyRan.get()).as("round %d: blocks that started ran their finally", round)
                .isEqualTo(started.get());
    }
}
