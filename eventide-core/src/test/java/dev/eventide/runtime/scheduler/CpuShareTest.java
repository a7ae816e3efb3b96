package dev.eventide.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blocked-or-computing decision of compensation ({@code BlockedWorkerMonitor.cpuShare}): a
 * poll counts as waiting only if its thread wanted a CPU for little of the poll <em>and</em> of
 * the monitor's last sampling interval; and what "wanted a CPU" is measured from
 * ({@link CpuDemand}).
 */
class CpuShareTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aThreadThatWaitedThenComputesCountsAsComputing() {
        // 100 ms into the poll: 10 ms on a CPU in the first 95 (it slept), then all of the last 5
        double share = BlockedWorkerMonitor.cpuShare(15 * MS, 100 * MS, 5 * MS, 5 * MS);
        assertThat(share).isEqualTo(1.0);
    }

    @Test
    void aThreadThatComputedThenLostItsCpuBrieflyCountsAsComputing() {
        // 90 ms of CPU in the first 95 ms, then descheduled for the last 5
        double share = BlockedWorkerMonitor.cpuShare(90 * MS, 100 * MS, 0, 5 * MS);
        assertThat(share).isEqualTo(0.9);
    }

    @Test
    void aThreadOffTheCpuInBothWindowsCountsAsWaiting() {
        double share = BlockedWorkerMonitor.cpuShare(3 * MS, 100 * MS, 1 * MS, 5 * MS);
        assertThat(share).isLessThan(MultiThreadScheduler.ON_CPU_SHARE).isEqualTo(0.2);
    }

    @Test
    void withoutAPreviousSampleTheShareIsTheWholePolls() {
        assertThat(BlockedWorkerMonitor.cpuShare(30 * MS, 100 * MS, 0, 0)).isEqualTo(0.3);
    }

    @Test
    void stolenAndQueuedTimeCountAsWantingTheCpu() {
        // A spinner on a VM that lost half its CPU time to the hypervisor, and waited 10 ms in a
        // run queue: on a CPU for 45 of 100 ms, yet it wanted one all the time.
        long demand = CpuDemand.demand(45 * MS, 10 * MS, 0.5);
        assertThat(demand).isEqualTo(100 * MS);
        assertThat(BlockedWorkerMonitor.cpuShare(demand, 100 * MS, 0, 0))
                .isGreaterThanOrEqualTo(MultiThreadScheduler.ON_CPU_SHARE);
        // a sleeping thread stays a sleeping one, whatever the steal
        assertThat(CpuDemand.demand(1 * MS, 0, 0.9)).isLessThanOrEqualTo(10 * MS);
    }

    @Test
    void theKernelsClocksAgreeWithTheJvmsThreadCpuClock() {
        int tid = CpuDemand.currentNativeTid();
        assumeThat(tid).as("a Linux kernel thread id").isNotNegative();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        CpuDemand demand = new CpuDemand();
        long end = System.nanoTime() + 30 * MS;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(System.nanoTime()); // computes
        }
        long before = mx.getCurrentThreadCpuTime();
        CpuDemand.Reading r = demand.read(Thread.currentThread(), tid);
        long after = mx.getCurrentThreadCpuTime();
        assertThat(x).isNotNegative();
        // the kernel updates a running thread's schedstat at ticks and switches: it may lag a little
        assertThat(r.onCpu()).isBetween(before - 20 * MS, after);
        assertThat(r.queued()).isNotNegative();
        assertThat(demand.stealShare()).isBetween(0.0, 0.9);
    }

    @Test
    void stealIsMeasuredOverEnoughTicksToMeanSomething() {
        CpuDemand demand = new CpuDemand();
        assertThat(demand.stealShare(1_000, 50_000)).as("nothing to compare with yet").isZero();
        // one tick of steal in five is what the counters show over a monitor's sampling interval
        assertThat(demand.stealShare(1_001, 50_005)).as("five ticks: too coarse to believe").isZero();
        assertThat(demand.stealShare(1_010, 50_200)).isEqualTo(10.0 / 200);
        assertThat(demand.stealShare(1_015, 50_210)).as("ten ticks since: the last share stands").isEqualTo(10.0 / 200);
        assertThat(demand.stealShare(1_215, 50_410)).isEqualTo(0.9); // 205 of 210, capped
    }
}
