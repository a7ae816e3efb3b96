package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SleepTest {

    @Test
    void sleepWaitsAtLeastItsDuration() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            long[] nanos = rt.blockOn(() -> {
                long t0 = System.nanoTime();
                Instant before = Time.now();
                Time.sleep(Duration.ofMillis(30)).await();
                return new long[] {System.nanoTime() - t0, Duration.between(before, Time.now()).toNanos()};
            });
            assertThat(nanos[0]).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
            assertThat(nanos[1]).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        }
    }

    /** On the current-thread runtime, woken tasks run in wake order: completion follows deadlines. */
    @Test
    void timersFireInDeadlineOrderAndNeverEarly() {
        try (Eventide rt = Eventide.currentThread()) {
            ConcurrentLinkedQueue<Instant> order = new ConcurrentLinkedQueue<>();
            List<String> early = rt.blockOn(() -> {
                Random rnd = new Random(42);
                List<JoinHandle<String>> hs = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    long delay = rnd.nextInt(150);
                    hs.add(Eventide.spawn(() -> {
                        long t0 = System.nanoTime(); // before the sleep fixes its deadline
                        Sleep s = Time.sleep(Duration.ofMillis(delay));
                        s.await();
                        long waited = System.nanoTime() - t0;
                        Instant now = Time.now();
                        order.add(s.deadline());
                        if (now.isBefore(s.deadline()) || waited < Duration.ofMillis(delay).toNanos()) {
                            return "early: " + s + " at " + now;
                        }
                        return null;
                    }));
                }
                List<String> bad = new ArrayList<>();
                for (JoinHandle<String> h : hs) {
                    String r = h.await();
                    if (r != null) {
                        bad.add(r);
                    }
                }
                return bad;
            });
            assertThat(early).isEmpty();
            assertThat(new ArrayList<>(order)).hasSize(300).isSorted();
        }
    }

    @Test
    void timersFireInDeadlineOrderOnTheVirtualClock() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            List<Long> fired = rt.blockOn(() -> {
                Instant start = Time.now();
                Random rnd = new Random(7);
                List<Long> out = new ArrayList<>();
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    // Spread over ten hours: every level of the wheel is used.
                    long delay = (long) Math.pow(10, rnd.nextDouble() * 7.5);
                    hs.add(Eventide.spawn(() -> {
                        Time.sleep(Duration.ofMillis(delay)).await();
                        long at = Duration.between(start, Time.now()).toMillis();
                        if (at != delay) {
                            throw new AssertionError("slept " + delay + " ms, woke at " + at);
                        }
                        out.add(at);
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return out;
            });
            assertThat(fired).hasSize(2_000).isSorted();
        }
    }

    @Test
    void aTimerRegisteredFromOutsideTheRuntimeFires() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            // The driver parks with no timer (no timeout); a timer first polled from this thread
            // must wake it, as must a later one with an earlier deadline than the parked one.
            Sleep far = rt.blockOn(() -> Time.sleep(Duration.ofSeconds(20)));
            Sleep near = rt.blockOn(() -> Time.sleep(Duration.ofMillis(40)));
            assertThat(far.poll(Context.of(Waker.noop())).isPending()).isTrue();
            long t0 = System.nanoTime();
            near.await();
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(10).toNanos());
            assertThat(near.isElapsed()).isTrue();
            assertThat(far.isElapsed()).isFalse();
            far.cancel();
        }
    }

    @Test
    void aSleepOfARuntimeThatShutDownFailsInsteadOfHanging() throws Exception {
        Sleep pending;
        Sleep later;
        java.util.concurrent.CompletableFuture<Throwable> waiter;
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            pending = rt.blockOn(() -> Time.sleep(Duration.ofHours(1)));
            later = rt.blockOn(() -> Time.sleep(Duration.ofHours(1)));
            java.util.concurrent.CountDownLatch registered = new java.util.concurrent.CountDownLatch(1);
            waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    pending.poll(Context.of(registered::countDown)); // registers; woken at shutdown
                    registered.countDown();
                    pending.await();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertThat(registered.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shut down");
        assertThatThrownBy(later::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
    }

    @Test
    void zeroAndNegativeDurationsCompleteAtOnce() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            rt.blockOn(() -> {
                Context cx = Context.of(Waker.noop());
                assertThat(Time.sleep(Duration.ZERO).poll(cx)).isEqualTo(Poll.ready(null));
                assertThat(Time.sleep(Duration.ofMillis(-5)).poll(cx)).isEqualTo(Poll.ready(null));
                assertThat(Time.sleepUntil(Time.now().minusSeconds(3600)).poll(cx)).isEqualTo(Poll.ready(null));
                assertThat(Time.sleep(Duration.ofSeconds(Long.MIN_VALUE)).poll(cx)).isEqualTo(Poll.ready(null));
                assertThat(Time.sleep(Duration.ofMillis(1)).poll(cx).isPending()).isTrue();
            });
        }
    }

    @Test
    void deadlinesBeyondTheWheelSpanWork() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            rt.blockOn(() -> {
                Instant start = Time.now();
                // 64^6 ms is about 2.2 years; these are beyond it.
                Duration[] ds = {Duration.ofDays(365 * 3), Duration.ofDays(365 * 10 + 17).plusMillis(3)};
                for (Duration d : ds) {
                    Instant t0 = Time.now();
                    Time.sleep(d).await();
                    assertThat(Duration.between(t0, Time.now())).isEqualTo(d);
                }
                JoinHandle<Void> forever = Eventide.spawn(() -> Time.sleep(Duration.ofSeconds(Long.MAX_VALUE)).await());
                Time.sleep(Duration.ofDays(1)).await();
                assertThat(forever.isFinished()).isFalse();
                forever.abort();
                assertThat(Duration.between(start, Time.now())).isEqualTo(ds[0].plus(ds[1]).plusDays(1));
            });
        }
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        try (Eventide rt = Eventide.currentThread()) {
            rt.blockOn(() -> {
                assertThatThrownBy(() -> Time.sleep(null)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("duration");
                assertThatThrownBy(() -> Time.sleepUntil(null)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("deadline");
                assertThatThrownBy(() -> Time.timeout(null, cx -> Poll.pending())).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("duration");
                assertThatThrownBy(() -> Time.timeout(Duration.ZERO, null)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("future");
                assertThatThrownBy(() -> Time.interval(null)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("period");
                assertThatThrownBy(() -> Time.interval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("period");
                assertThatThrownBy(() -> Time.interval(Duration.ofMillis(-1)))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> Time.advance(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("paused");
            });
        }
    }

    @Test
    void creatingATimerOffRuntimeIsRefused() {
        assertThatThrownBy(() -> Time.sleep(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("drives no runtime");
        assertThatThrownBy(() -> Time.interval(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class);
        assertThat(Time.now()).isNotNull();
    }

    @Test
    void timersKeepWorkingWhenTheParkingThreadChangesAndTasksMove() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int total = rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int k = i;
                    hs.add(Eventide.spawn(() -> {
                        int n = 0;
                        for (int j = 0; j < 10; j++) {
                            if ((k + j) % 7 == 0) {
                                // Hands this worker's core to a new thread: the reactor's parker changes.
                                Eventide.blockInPlace(() -> 0);
                            }
                            Time.sleep(Duration.ofMillis(1 + (k + j) % 3)).await();
                            Eventide.yieldNow().await();
                            n++;
                        }
                        return n;
                    }));
                }
                int sum = 0;
                for (JoinHandle<Integer> h : hs) {
                    sum += h.await();
                }
                return sum;
            });
            assertThat(total).isEqualTo(400);
        }
    }
}
