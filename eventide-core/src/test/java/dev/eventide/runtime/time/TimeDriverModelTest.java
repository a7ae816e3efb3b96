package dev.eventide.runtime.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wheel against a model: random registrations (deadlines from 0 ms to years, so every level
 * and the beyond-span ring are used), cancellations and clock moves on a paused clock. After
 * every firing pass at tick T, exactly the live timers due by T have fired, each once, in
 * deadline order; auto-advance never jumps past the earliest deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeDriverModelTest {

    /** A timer that records when and in which order it fired. */
    private static final class Probe extends TimerEntry {
        final List<Probe> log;
        int fires;

        Probe(TimeDriver d, long tick, List<Probe> log) {
            super(d, tick);
            this.log = log;
        }

        void register() {
            pollFired(() -> {
                fires++;
                log.add(this);
            });
        }
    }

    private static long randomDelay(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextLong(0, 64);
            case 1 -> rnd.nextLong(0, 4_096);
            case 2 -> rnd.nextLong(0, 1L << 24);
            case 3 -> rnd.nextLong(0, 1L << 36); // up to the span (2.2 years)
            case 4 -> rnd.nextLong(1L << 36, 1L << 40); // beyond it: up to 35 years
            default -> 1;
        };
    }

    private static long randomStep(SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextLong(0, 3);
            case 1 -> rnd.nextLong(0, 100);
            case 2 -> rnd.nextLong(0, 100_000);
            case 3 -> rnd.nextLong(0, 1L << 34);
            default -> rnd.nextLong(0, 1L << 38);
        };
    }

    @RepeatedTest(20)
    void wheelMatchesTheModel(org.junit.jupiter.api.RepetitionInfo info) {
        SplittableRandom rnd = new SplittableRandom(info.getCurrentRepetition() * 7919L);
        TimeDriver d = new TimeDriver(true, () -> { });
        List<Probe> log = new ArrayList<>();
        List<Probe> live = new ArrayList<>();
        List<Probe> cancelled = new ArrayList<>();
        for (int step = 0; step < 3_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                Probe p = new Probe(d, d.nowTick() + randomDelay(rnd), log);
                p.register();
                if (p.hasFired()) {
                    assertThat(p.deadlineTick()).isLessThanOrEqualTo(d.nowTick());
                } else {
                    live.add(p);
                }
            } else if (op < 7 && !live.isEmpty()) {
                Probe p = live.remove(rnd.nextInt(live.size()));
                p.cancelTimer();
                cancelled.add(p);
            } else if (op < 9) {
                d.advance(randomStep(rnd) * TimeDriver.NANOS_PER_TICK + rnd.nextLong(0, TimeDriver.NANOS_PER_TICK));
                fireAndCheck(d, log, live);
            } else {
                long before = d.nowTick();
                long min = live.stream().mapToLong(Probe::deadlineTick).min().orElse(Long.MAX_VALUE);
                long wait = d.beforePark(-1, () -> true);
                d.afterPark();
                if (min == Long.MAX_VALUE) {
                    assertThat(wait).isNegative();
                    assertThat(d.nowTick()).isEqualTo(before);
                } else {
                    assertThat(wait).isZero();
                    assertThat(d.nowTick()).isLessThanOrEqualTo(Math.max(before, min));
                }
                fireAndCheck(d, log, live);
            }
        }
        for (Probe p : cancelled) {
            assertThat(p.fires).isZero();
        }
        for (Probe p : live) {
            p.cancelTimer();
        }
        assertThat(d.registered()).isZero();
    }

    private static void fireAndCheck(TimeDriver d, List<Probe> log, List<Probe> live) {
        log.clear();
        d.fireExpired();
        long now = d.nowTick();
        List<Probe> remaining = new ArrayList<>();
        int due = 0;
        for (Probe p : live) {
            boolean isDue = p.deadlineTick() <= now;
            if (p.fires != (isDue ? 1 : 0)) {
                // Plain check: this loop runs millions of times.
                throw new AssertionError("a timer due at " + p.deadlineTick() + " fired " + p.fires + " times by " + now);
            }
            if (isDue) {
                due++;
            } else {
                remaining.add(p);
            }
        }
        assertThat(log).hasSize(due);
        for (int i = 1; i < log.size(); i++) {
            if (log.get(i).deadlineTick() < log.get(i - 1).deadlineTick()) {
                throw new AssertionError("fired out of deadline order at " + now);
            }
        }
        live.clear();
        live.addAll(remaining);
    }

    @Test
    void tickRoundingNeverFiresEarly() {
        assertThat(TimeDriver.tickOf(0)).isZero();
        assertThat(TimeDriver.tickOf(1)).isEqualTo(1);
        assertThat(TimeDriver.tickOf(TimeDriver.NANOS_PER_TICK)).isEqualTo(1);
        assertThat(TimeDriver.tickOf(TimeDriver.NANOS_PER_TICK + 1)).isEqualTo(2);
        assertThat(TimeDriver.tickOf(-5)).isZero();
        assertThat(TimeDriver.tickOf(Long.MAX_VALUE)).isPositive();
        assertThat(TimeDriver.saturatingAdd(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(TimeDriver.saturatingAdd(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
    }
}
