package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interval schedules, on the virtual clock: a 10 ms interval whose tick due at 10 ms is only
 * collected at 35 ms. Each tick is recorded as (due, collected) in ms since the start.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IntervalTest {

    private static List<long[]> run(MissedTickBehavior behavior, int ticks) {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            return rt.blockOn(() -> {
                Instant start = Time.now();
                Interval iv = Time.interval(Duration.ofMillis(10));
                if (behavior != null) {
                    iv.setMissedTickBehavior(behavior);
                }
                List<long[]> out = new ArrayList<>();
                for (int i = 0; i < ticks; i++) {
                    Instant due = iv.tick().await();
                    out.add(new long[] {Duration.between(start, due).toMillis(),
                            Duration.between(start, Time.now()).toMillis()});
                    if (i == 0) {
                        Time.sleep(Duration.ofMillis(35)).await(); // busy past two ticks
                    }
                }
                return out;
            });
        }
    }

    @Test
    void burstCatchesUpThenKeepsTheSchedule() {
        List<long[]> t = run(null, 6);
        assertThat(t).containsExactly(
                new long[] {0, 0}, new long[] {10, 35}, new long[] {20, 35}, new long[] {30, 35},
                new long[] {40, 40}, new long[] {50, 50});
    }

    @Test
    void delayRestartsFromTheLateTick() {
        List<long[]> t = run(MissedTickBehavior.DELAY, 5);
        assertThat(t).containsExactly(
                new long[] {0, 0}, new long[] {10, 35}, new long[] {45, 45}, new long[] {55, 55},
                new long[] {65, 65});
    }

    @Test
    void skipDropsMissedTicksAndStaysOnTheGrid() {
        List<long[]> t = run(MissedTickBehavior.SKIP, 5);
        assertThat(t).containsExactly(
                new long[] {0, 0}, new long[] {10, 35}, new long[] {40, 40}, new long[] {50, 50},
                new long[] {60, 60});
    }

    @Test
    void aTickLateByLessThanTheSlackIsNotMissed() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            List<Long> due = rt.blockOn(() -> {
                Instant start = Time.now();
                Interval iv = Time.interval(Duration.ofMillis(10)).setMissedTickBehavior(MissedTickBehavior.DELAY);
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    out.add(Duration.between(start, iv.tick().await()).toMillis());
                    Time.sleep(Duration.ofMillis(i == 1 ? 14 : 0)).await(); // 4 ms late at most
                }
                return out;
            });
            assertThat(due).containsExactly(0L, 10L, 20L, 30L);
        }
    }

    @Test
    void intervalAtStartsAtTheGivenInstantAndResetRestarts() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            rt.blockOn(() -> {
                Instant start = Time.now();
                Interval iv = Time.intervalAt(start.plusMillis(100), Duration.ofMillis(30));
                assertThat(iv.tick().await()).isEqualTo(start.plusMillis(100));
                assertThat(iv.tick().await()).isEqualTo(start.plusMillis(130));
                iv.reset();
                assertThat(iv.tick().await()).isEqualTo(start.plusMillis(160));
                assertThat(Time.now()).isEqualTo(start.plusMillis(160));
                assertThat(iv.period()).isEqualTo(Duration.ofMillis(30));
            });
        }
    }

    @Test
    void aCancelledTickLosesNothing() {
        try (Eventide rt = Eventide.builder().currentThread().startPaused(true).build()) {
            rt.blockOn(() -> {
                Instant start = Time.now();
                Interval iv = Time.interval(Duration.ofMillis(50));
                iv.tick().await();
                // A task awaits the next tick and is aborted before it is due.
                JoinHandle<Instant> h = Eventide.spawn(() -> iv.tick().await());
                Time.sleep(Duration.ofMillis(20)).await();
                h.abort();
                Eventide.yieldNow().await();
                assertThat(h.isCancelled()).isTrue();
                assertThat(iv.tick().await()).isEqualTo(start.plusMillis(50));
                assertThat(Time.now()).isEqualTo(start.plusMillis(50));
            });
        }
    }
}
