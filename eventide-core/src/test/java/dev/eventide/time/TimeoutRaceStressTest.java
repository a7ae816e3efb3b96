package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.runtime.ExecContext;
import dev.eventide.sync.ChannelClosedException;
import dev.eventide.sync.Oneshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Time#timeout} racing its inner future's completion and its task's abort: a waiter
 * awaits a oneshot under a timeout of about its sender's delay, the sender sends after a random
 * number of yields or a millisecond's sleep, and a third task aborts the waiter at a random
 * moment. Whichever wins, every waiter ends (with the value, a timeout, or cancelled), a value is
 * never seen after a timeout was reported, and no timer stays in the wheel. On both runtimes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutRaceStressTest {
    private static final int PAIRS = 2_000;

    @RepeatedTest(3)
    void multiThreadRuntime() {
        race(() -> Eventide.builder().workerThreads(2).build());
    }

    @RepeatedTest(3)
    void currentThreadRuntime() {
        race(Eventide::currentThread);
    }

    private static void race(Supplier<Eventide> runtime) {
        try (Eventide rt = runtime.get()) {
            int[] outcome = rt.blockOn(() -> {
                List<JoinHandle<Integer>> waiters = new ArrayList<>(PAIRS);
                List<JoinHandle<Void>> others = new ArrayList<>(2 * PAIRS);
                for (int i = 0; i < PAIRS; i++) {
                    int value = i;
                    Oneshot<Integer> ch = Oneshot.channel();
                    JoinHandle<Integer> waiter = Eventide.spawn(() -> {
                        try {
                            return Time.timeout(Duration.ofMillis(1), ch.rx()).await();
                        } catch (TimeoutExpiredException e) {
                            return -1;
                        }
                    });
                    waiters.add(waiter);
                    others.add(Eventide.spawn(() -> {
                        pause();
                        try (var tx = ch.tx()) {
                            tx.send(value);
                        } catch (ChannelClosedException receiverGone) {
                            assertThat((Object) receiverGone.value()).isEqualTo(value);
                        }
                    }));
                    if ((i & 3) == 0) {
                        others.add(Eventide.spawn(() -> {
                            pause();
                            waiter.abort();
                        }));
                    }
                }
                int[] counts = new int[3]; // value, timed out, cancelled
                for (int i = 0; i < PAIRS; i++) {
                    try {
                        int v = waiters.get(i).await();
                        if (v == -1) {
                            counts[1]++;
                        } else {
                            assertThat(v).isEqualTo(i);
                            counts[0]++;
                        }
                    } catch (CancelledException e) {
                        counts[2]++;
                    }
                }
                for (JoinHandle<Void> h : others) {
                    h.await();
                }
                return new int[] {counts[0], counts[1], counts[2], timersLeft()};
            });
            assertThat(outcome[0] + outcome[1] + outcome[2]).as("waiters that ended").isEqualTo(PAIRS);
            assertThat(outcome[3]).as("timers left in the wheel").isZero();
        }
    }

    /** A random short pause: a few yields, or a millisecond's sleep (about the timeout). */
    private static void pause() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (rnd.nextBoolean()) {
            Time.sleep(Duration.ofMillis(rnd.nextInt(2))).await();
        }
        for (int y = rnd.nextInt(4); y > 0; y--) {
            Eventide.yieldNow().await();
        }
    }

    /** Timers still registered once pending removals are applied (bounded wait, yielding). */
    private static int timersLeft() {
        var time = ExecContext.current().scheduler.driver.time();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (time.registered() != 0 && System.nanoTime() - deadline < 0) {
            Eventide.yieldNow().await();
        }
        return time.registered();
    }
}
