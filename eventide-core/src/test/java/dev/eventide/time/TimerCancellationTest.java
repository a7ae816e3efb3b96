package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.Waker;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.time.TimeDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancelled timers leave the wheel at once: memory and concurrency. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerCancellationTest {
    private static final int MILLION = 1_000_000;

    private static long usedHeapAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    private static TimeDriver currentDriver() {
        return ExecContext.current().scheduler.driver.time();
    }

    /**
     * A million registered sleeps hold tens of MB; once cancelled and dropped, that memory is
     * reclaimable at once, long before their deadlines. The control half shows the measurement
     * works: dropped without cancelling, the wheel still holds them.
     */
    @Test
    void cancellingAMillionPendingSleepsFreesThem() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            rt.blockOn(() -> {
                Context cx = Context.of(Waker.noop());
                TimeDriver driver = currentDriver();
                long base = usedHeapAfterGc();

                Sleep[] sleeps = new Sleep[MILLION];
                for (int i = 0; i < MILLION; i++) {
                    sleeps[i] = Time.sleep(Duration.ofMinutes(10).plusMillis(i % 64));
                    sleeps[i].poll(cx);
                }
                long withTimers = usedHeapAfterGc() - base;
                assertThat(driver.registered()).isEqualTo(MILLION);
                for (Sleep s : sleeps) {
                    s.cancel();
                }
                assertThat(driver.registered()).isZero();
                sleeps = null;
                long afterCancel = usedHeapAfterGc() - base;

                // Control: registered, dropped, not cancelled: still reachable from the wheel.
                for (int i = 0; i < MILLION; i++) {
                    Time.sleep(Duration.ofMinutes(10).plusMillis(i % 64)).poll(cx);
                }
                long leaked = usedHeapAfterGc() - base;

                assertThat(withTimers).as("heap held by a million sleeps").isGreaterThan(30L << 20);
                assertThat(afterCancel).as("heap held after cancelling them").isLessThan(withTimers / 4);
                assertThat(leaked).as("heap held by uncancelled sleeps").isGreaterThan(30L << 20);
                assertThat(driver.registered()).isEqualTo(MILLION);
            });
        }
    }

    /** Aborting tasks that sleep cancels their sleeps: nothing stays registered. */
    @Test
    void abortedSleepingTasksLeaveNoTimerBehind() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    hs.add(Eventide.spawn(() -> Time.sleep(Duration.ofHours(1)).await()));
                }
                for (JoinHandle<Void> h : hs) {
                    h.abort();
                }
                for (JoinHandle<Void> h : hs) {
                    try {
                        h.await();
                    } catch (dev.eventide.CancelledException expected) {
                        // what an aborted task's joiner gets
                    }
                }
                Time.sleep(Duration.ofMillis(2)).await(); // lets the driver apply the last removals
                assertThat(currentDriver().registered()).isZero();
            });
        }
    }

    /**
     * Stress: many tasks on several workers register timers with random deadlines and cancel a
     * random half of them, from tasks and from a foreign thread, while the driver fires the rest.
     * Every timer not cancelled fires, never early; every cancelled one never wakes anybody.
     */
    @Test
    void concurrentRegisterCancelAndFire() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Eventide rt = Eventide.builder().workerThreads(3).build()) {
                AtomicInteger fired = new AtomicInteger();
                AtomicInteger early = new AtomicInteger();
                int expected = rt.blockOn(() -> {
                    List<JoinHandle<Integer>> hs = new ArrayList<>();
                    for (int t = 0; t < 64; t++) {
                        long seed = t;
                        hs.add(Eventide.spawn(() -> {
                            SplittableRandom rnd = new SplittableRandom(seed);
                            int kept = 0;
                            List<Sleep> batch = new ArrayList<>();
                            for (int i = 0; i < 200; i++) {
                                Sleep s = Time.sleep(Duration.ofMillis(rnd.nextInt(0, 30)));
                                if (rnd.nextBoolean()) {
                                    s.cancel(); // before registering
                                } else {
                                    s.poll(Context.of(Waker.noop()));
                                    batch.add(s);
                                }
                                if (rnd.nextInt(8) == 0) {
                                    Eventide.yieldNow().await();
                                }
                            }
                            for (Sleep s : batch) {
                                if (s.isElapsed()) {
                                    kept++;
                                    fired.incrementAndGet();
                                } else if (rnd.nextBoolean()) {
                                    s.cancel(); // registered (or fired meanwhile: then a no-op)
                                    if (s.isElapsed()) {
                                        kept++;
                                        fired.incrementAndGet();
                                    }
                                } else {
                                    java.time.Instant deadline = s.deadline();
                                    s.await();
                                    if (Time.now().isBefore(deadline)) {
                                        early.incrementAndGet();
                                    }
                                    kept++;
                                    fired.incrementAndGet();
                                }
                            }
                            return kept;
                        }));
                    }
                    int kept = 0;
                    for (JoinHandle<Integer> h : hs) {
                        kept += h.await();
                    }
                    Time.sleep(Duration.ofMillis(40)).await(); // past every deadline
                    assertThat(currentDriver().registered()).isZero();
                    return kept;
                });
                assertThat(fired.get()).isEqualTo(expected);
                assertThat(early.get()).isZero();
            }
        }
    }
}
