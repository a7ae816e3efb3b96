package dev.eventide.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blocked-or-computing decision of compensation ({@code BlockedWorkerMonitor.cpuShare}): a
 * poll counts as waiting only if its thread was off the CPU for most of the poll <em>and</em>
 * for most of the monitor's last sampling interval.
 */
class CpuShareTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A probe whose poll was first seen at time 0 with CPU time 0, last sampled at {@code lastAt}. */
    private static PollProbe probe(long cpuLast, long lastAt) {
        PollProbe p = new PollProbe(null, null);
        p.monitorCpuStart = 0;
        p.monitorCpuLast = cpuLast;
        p.monitorCpuLastAt = lastAt;
        return p;
    }

    @Test
    void aThreadThatWaitedThenComputesCountsAsComputing() {
        // 100 ms into the poll: 10 ms on a CPU in the first 95 (it slept), then all of the last 5
        PollProbe p = probe(10 * MS, 95 * MS);
        double share = BlockedWorkerMonitor.cpuShare(p, 15 * MS, 100 * MS, 100 * MS);
        assertThat(share).isEqualTo(1.0);
    }

    @Test
    void aThreadThatComputedThenLostItsCpuBrieflyCountsAsComputing() {
        // 90 ms of CPU in the first 95 ms, then descheduled for the last 5
        PollProbe p = probe(90 * MS, 95 * MS);
        double share = BlockedWorkerMonitor.cpuShare(p, 90 * MS, 100 * MS, 100 * MS);
        assertThat(share).isEqualTo(0.9);
    }

    @Test
    void aThreadOffTheCpuInBothWindowsCountsAsWaiting() {
        PollProbe p = probe(2 * MS, 95 * MS);
        double share = BlockedWorkerMonitor.cpuShare(p, 3 * MS, 100 * MS, 100 * MS);
        assertThat(share).isLessThan(MultiThreadScheduler.ON_CPU_SHARE).isEqualTo(0.2);
    }

    @Test
    void withoutAPreviousSampleTheShareIsTheWholePolls() {
        PollProbe p = probe(-1, 0);
        assertThat(BlockedWorkerMonitor.cpuShare(p, 30 * MS, 100 * MS, 100 * MS)).isEqualTo(0.3);
    }
}
