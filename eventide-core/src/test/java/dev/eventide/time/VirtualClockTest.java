package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualClockTest {

    private static final List<Supplier<Eventide>> PAUSED = List.of(
            () -> Eventide.builder().currentThread().startPaused(true).build(),
            () -> Eventide.builder().workerThreads(2).startPaused(true).build());

    @Test
    void aPausedClockStandsStillUntilTheRuntimeIsIdle() {
        try (Eventide rt = PAUSED.get(0).get()) {
            rt.blockOn(() -> {
                Instant t0 = Time.now();
                assertThat(Time.isPaused()).isTrue();
                for (int i = 0; i < 1_000; i++) {
                    Eventide.yieldNow().await();
                }
                assertThat(Time.now()).isEqualTo(t0);
            });
        }
    }

    @Test
    void anHourLongSleepAutoAdvancesInstantly() {
        for (Supplier<Eventide> make : PAUSED) {
            try (Eventide rt = make.get()) {
                long real = System.nanoTime();
                Duration virtual = rt.blockOn(() -> {
                    Instant t0 = Time.now();
                    Time.sleep(Duration.ofHours(1)).await();
                    return Duration.between(t0, Time.now());
                });
                assertThat(virtual).isEqualTo(Duration.ofHours(1));
                assertThat(System.nanoTime() - real).isLessThan(Duration.ofSeconds(5).toNanos());
            }
        }
    }

    @Test
    void advanceFiresEveryTimerDueByTheNewTime() {
        try (Eventide rt = PAUSED.get(0).get()) {
            rt.blockOn(() -> {
                Instant t0 = Time.now();
                JoinHandle<Instant> a = Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMillis(100)).await();
                    return Time.now();
                });
                JoinHandle<Instant> b = Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMillis(250)).await();
                    return Time.now();
                });
                JoinHandle<Instant> c = Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMillis(400)).await();
                    return Time.now();
                });
                Eventide.yieldNow().await(); // let them register
                Time.advance(Duration.ofMillis(250)).await();
                assertThat(Time.now()).isEqualTo(t0.plusMillis(250));
                Eventide.yieldNow().await(); // the woken tasks run
                assertThat(a.isFinished()).isTrue();
                assertThat(b.isFinished()).isTrue();
                assertThat(c.isFinished()).isFalse();
                assertThat(a.await()).isEqualTo(t0.plusMillis(250));
                Time.advance(Duration.ZERO).await();
                assertThat(Time.now()).isEqualTo(t0.plusMillis(250));
                // c completes at its own deadline, by auto-advance.
                assertThat(c.await()).isEqualTo(t0.plusMillis(400));
            });
        }
    }

    @Test
    void pauseAndResume() {
        try (Eventide rt = Eventide.currentThread()) {
            rt.blockOn(() -> {
                assertThat(Time.isPaused()).isFalse();
                Time.pause();
                Instant t0 = Time.now();
                Time.sleep(Duration.ofDays(2)).await();
                // Paused at an arbitrary reading: the deadline is rounded up to the 1 ms tick.
                assertThat(Time.now()).isBetween(t0.plus(Duration.ofDays(2)), t0.plus(Duration.ofDays(2)).plusMillis(1));
                Time.resume();
                assertThat(Time.isPaused()).isFalse();
                Instant t1 = Time.now();
                Time.sleep(Duration.ofMillis(5)).await();
                assertThat(Time.now()).isAfterOrEqualTo(t1.plusMillis(5));
            });
        }
    }

    @Test
    void noAutoAdvanceWhileABlockingJobRuns() throws Exception {
        try (Eventide rt = PAUSED.get(1).get()) {
            CountDownLatch jobStarted = new CountDownLatch(1);
            CountDownLatch releaseJob = new CountDownLatch(1);
            CountDownLatch sleeperWoke = new CountDownLatch(1);
            JoinHandle<Void> h = rt.handle().spawn(() -> {
                JoinHandle<Void> job = Eventide.spawnBlocking(() -> {
                    jobStarted.countDown();
                    releaseJob.await();
                    return null;
                });
                JoinHandle<Void> sleeper = Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMinutes(10)).await();
                    sleeperWoke.countDown();
                });
                job.await();
                sleeper.await();
            });
            assertThat(jobStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // The runtime is idle but for the blocking job: virtual time must not move.
            assertThat(sleeperWoke.await(100, TimeUnit.MILLISECONDS)).isFalse();
            releaseJob.countDown();
            assertThat(sleeperWoke.await(10, TimeUnit.SECONDS)).isTrue();
            h.join();
        }
    }

    /**
     * Many tasks, each running a chain of timeouts over sleeps of random lengths (seconds to
     * hours): days of virtual time. Each outcome must match the durations exactly, and the whole
     * must take far less real time than virtual time.
     */
    @Test
    void aTimeoutHeavyScenarioRunsInFarLessRealTime() {
        for (Supplier<Eventide> make : PAUSED) {
            try (Eventide rt = make.get()) {
                long real = System.nanoTime();
                long[] result = rt.blockOn(() -> {
                    Instant t0 = Time.now();
                    List<JoinHandle<long[]>> hs = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        long seed = i;
                        hs.add(Eventide.spawn(() -> {
                            SplittableRandom rnd = new SplittableRandom(seed);
                            long timedOut = 0;
                            long wrong = 0;
                            for (int j = 0; j < 20; j++) {
                                long work = rnd.nextLong(1_000, 3_600_000);
                                long limit = rnd.nextLong(1_000, 3_600_000);
                                if (work == limit) {
                                    limit++;
                                }
                                Instant s = Time.now();
                                try {
                                    Time.timeout(Duration.ofMillis(limit), Time.sleep(Duration.ofMillis(work))).await();
                                    wrong += work < limit && Duration.between(s, Time.now()).toMillis() == work ? 0 : 1;
                                } catch (TimeoutExpiredException e) {
                                    timedOut++;
                                    wrong += work > limit && Duration.between(s, Time.now()).toMillis() == limit ? 0 : 1;
                                }
                            }
                            return new long[] {timedOut, wrong};
                        }));
                    }
                    long timedOut = 0;
                    long wrong = 0;
                    for (JoinHandle<long[]> h : hs) {
                        long[] r = h.await();
                        timedOut += r[0];
                        wrong += r[1];
                    }
                    return new long[] {timedOut, wrong, Duration.between(t0, Time.now()).toMillis()};
                });
                long realMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - real);
                assertThat(result[1]).as("outcomes that do not match the durations").isZero();
                assertThat(result[0]).isBetween(1L, 3_999L);
                assertThat(result[2]).as("virtual ms").isGreaterThan(Duration.ofHours(5).toMillis());
                assertThat(realMillis).isLessThan(20_000);
                assertThat(realMillis * 1000).isLessThan(result[2]);
            }
        }
    }
}
