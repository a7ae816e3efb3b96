package dev.eventide.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The adaptive global queue interval: it follows the mean tick time, shortens at once when
 * ticks get longer (countdown in progress included), and lengthens only slowly after a burst of
 * cheap ticks, such as the batch of remote tasks a worker has just taken behind a chain of long
 * polls (WORKLOADS.md's W3b).
 */
class GlobalQueueIntervalTest {
    private static final long TEN_MICROS = 10_000;
    private static final int WINDOW = 61; // ticks between two maintenance passes
    /** The jitter filter (moves of more than 2 only) may stop the interval just short of MAX. */
    private static final int NEAR_MAX = GlobalQueueInterval.MAX - 2;

    @Test
    void theIntervalIsTheTargetOverTheMeanTickTime() {
        GlobalQueueInterval gqi = new GlobalQueueInterval(0);
        gqi.record(WINDOW * TEN_MICROS, WINDOW);
        assertThat(gqi.ticks()).isEqualTo((int) (GlobalQueueInterval.TARGET_NANOS / TEN_MICROS));
    }

    @Test
    void aBurstOfCheapTicksLengthensTheIntervalOnlyAFewTimes() {
        GlobalQueueInterval gqi = new GlobalQueueInterval(0);
        gqi.record(WINDOW * TEN_MICROS, WINDOW);
        int before = gqi.ticks();
        // 500 remote tasks of 200 ns each, run between two links of the chain: with one rate both
        // ways the average would become 200 ns, and the interval MAX
        gqi.record(500 * 200L, 500);
        assertThat(gqi.ticks()).as("interval after the burst (was %d)", before).isLessThanOrEqualTo(4 * before);
    }

    @Test
    void sustainedCheapTicksLengthenItToTheMaximumWithinMilliseconds() {
        GlobalQueueInterval gqi = new GlobalQueueInterval(0);
        gqi.record(WINDOW * 4 * TEN_MICROS, WINDOW);
        assertThat(gqi.ticks()).isEqualTo(GlobalQueueInterval.MIN);
        long ticks = 0;
        while (gqi.ticks() < NEAR_MAX && ticks < 1_000_000) {
            gqi.record(WINDOW * 100L, WINDOW); // 100 ns ticks
            ticks += WINDOW;
        }
        assertThat(gqi.ticks()).isGreaterThanOrEqualTo(NEAR_MAX);
        assertThat(ticks * 100).as("nanoseconds of 100 ns ticks it took").isLessThan(5_000_000);
    }

    @Test
    void longerTicksShortenTheCountdownInProgress() {
        GlobalQueueInterval gqi = new GlobalQueueInterval(0);
        for (int i = 0; i < 1000 && gqi.ticks() < NEAR_MAX; i++) {
            gqi.record(WINDOW * 100L, WINDOW);
        }
        assertThat(gqi.ticks()).isGreaterThanOrEqualTo(NEAR_MAX);
        gqi.due(); // may start a countdown of about MAX ticks
        gqi.record(WINDOW * TEN_MICROS, WINDOW);
        int until = 1;
        while (!gqi.due() && until < 1000) {
            until++;
        }
        assertThat(until).as("ticks until the next look").isLessThanOrEqualTo(gqi.ticks());
    }

    @Test
    void aFixedIntervalNeverMoves() {
        GlobalQueueInterval gqi = new GlobalQueueInterval(7);
        gqi.record(WINDOW * TEN_MICROS, WINDOW);
        gqi.record(WINDOW * 100L, WINDOW);
        assertThat(gqi.ticks()).isEqualTo(7);
    }
}
