package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The steal figure the report prints beside every run: parsed from /proc/stat's aggregate line. */
class CpuStealTest {

    @Test
    void stealIsTheStolenShareOfAllCpuTimeBetweenTwoReadings() {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
        CpuSteal.Reading from = CpuSteal.parse("cpu  1000 0 200 700 0 0 50 50 30 0");
        CpuSteal.Reading to = CpuSteal.parse("cpu  1300 0 250 800 0 0 50 100 60 0");
        assertThat(from.total()).isEqualTo(2000);
        assertThat(to.steal()).isEqualTo(100);
        // 50 stolen ticks out of 500 elapsed
        assertThat(CpuSteal.percent(from, to)).hasValue(10.0);
    }

    @Test
    void unknownWhenAReadingIsMissingOrNoTimePassed() {
        CpuSteal.Reading r = CpuSteal.parse("cpu 1 2 3 4 5 6 7 8");
        assertThat(CpuSteal.percent(null, r)).isEmpty();
        assertThat(CpuSteal.percent(r, r)).isEmpty();
    }

    @Test
    void aLineOtherThanTheAggregateIsRefused() {
        assertThatThrownBy(() -> CpuSteal.parse("cpu0 1 2 3 4 5 6 7 8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregate cpu line");
    }

    @Test
    void thisMachinesCountersReadWhereProcStatExists() {
        CpuSteal.Reading r = CpuSteal.read();
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat"))) {
            assertThat(r).isNotNull();
            assertThat(r.total()).isPositive();
            assertThat(r.steal()).isBetween(0L, r.total());
        } else {
            assertThat(r).isNull();
        }
    }
}
