package dev.eventide.runtime.scheduler;

import dev.eventide.BlockedWorkerIncident;
import dev.eventide.runtime.Scheduler;
import dev.eventide.runtime.observe.BlockedWorkerEvent;
import dev.eventide.runtime.observe.LongPollEvent;
import dev.eventide.runtime.task.Task;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocked-worker detector: a daemon thread that notices a worker stuck in one task poll,
 * reports it, and (multi-thread runtime) starts a {@link Compensator} for it.
 *
 * <h2>How a blocked worker is seen</h2>
 * Each thread that polls tasks bumps the sequence number of its {@link PollProbe} when a poll
 * begins and again when it ends, so an odd number means "inside a poll" (tokio's approach, with
 * a tick counter instead of timestamps). This thread wakes every half threshold and samples the
 * numbers: a probe whose number is odd and unchanged since the sample that first saw it, at
 * least {@code threshold} ago, has spent at least the threshold in that one poll. It is then
 * reported once (the number identifies the incident), with the task being polled and the
 * thread's stack, which shows the blocking call. When the number moves on, the incident is over
 * and a {@link LongPollEvent} records how long the monitor saw it. A poll still running past the
 * (separate) compensation threshold is offered to the compensation hook, with the share of the
 * poll the thread wanted a CPU (see {@link CpuDemand}: a computing thread is not blocked, a
 * sleeping or waiting one is); the hook may decline, and is asked again at the next sample,
 * until it accepts or the poll ends.
 *
 * <p>Either job can be off (a zero threshold); the thread samples every half of the smaller
 * threshold that is on. At each sample it also runs the runtime's {@code attend} hook (the
 * multi-thread runtime's driver watch, see {@link MultiThreadScheduler}). A thread that handed its core away with {@code blockInPlace} blocks on
 * purpose and is skipped. Parked and searching workers are between polls (even numbers) and
 * never reported.
 */
final class BlockedWorkerMonitor extends Thread {
    private final Scheduler scheduler;
    private final Collection<PollProbe> probes;
    /** Report threshold; 0: no reports. */
    private final long thresholdNanos;
    /** Compensation threshold; 0: no compensation. */
    private final long compensationNanos;
    /** Offered a probe and its sequence number when that poll has run past the compensation threshold. */
    private final Compensation compensate;
    /** For the threads' CPU demand; null without compensation. */
    private final CpuDemand cpu;
    /** Run at every sample; null: none. */
    private final Runnable attend;

    /** Decides on, and starts, compensation for a blocked poll. */
    interface Compensation {
        /** Returns whether a compensator was started (false: ask again at the next sample). */
        boolean offer(PollProbe probe, long seq);
    }
    private volatile boolean stopped;
    /** Probes with a reported incident not yet seen to end (this thread only). */
    private final Set<PollProbe> open = new HashSet<>();

    BlockedWorkerMonitor(Scheduler scheduler, Collection<PollProbe> probes, Duration threshold,
            Duration compensationThreshold, Compensation compensate, Runnable attend, String name) {
        super(name);
        this.attend = attend;
        this.scheduler = scheduler;
        this.probes = probes;
        this.thresholdNanos = threshold.toNanos();
        this.compensationNanos = compensate == null ? 0 : compensationThreshold.toNanos();
        this.compensate = compensate;
        this.cpu = compensate == null ? null : new CpuDemand();
        setDaemon(true);
    }

    /** Whether a monitor has anything to do with these thresholds. */
    static boolean needed(Duration threshold, Duration compensationThreshold) {
        return !threshold.isZero() || !compensationThreshold.isZero();
    }

    @Override
    public void run() {
        long shortest = thresholdNanos == 0 ? compensationNanos
                : compensationNanos == 0 ? thresholdNanos : Math.min(thresholdNanos, compensationNanos);
        long period = Math.max(1, shortest / 2);
        while (!stopped) {
            LockSupport.parkNanos(this, period);
            if (stopped) {
                break;
            }
            try {
                sample(System.nanoTime());
            } catch (RuntimeException | Error e) {
                // A listener or the logger failing must not end the detector.
                System.getLogger("dev.eventide.runtime").log(System.Logger.Level.WARNING,
                        "the blocked-worker monitor survived an error", e);
            }
        }
        // Shutdown: the workers are gone (or stuck for good); close the incidents still open.
        for (PollProbe p : open.toArray(new PollProbe[0])) {
            endIncident(p);
        }
    }

    /**
     * Stops the thread and waits for it to end, at most {@code timeoutNanos} (it can only be slow
     * to end if a listener blocks); false if it is still running.
     */
    boolean shutdown(long timeoutNanos) throws InterruptedException {
        stopped = true;
        LockSupport.unpark(this);
        join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        return !isAlive();
    }

    private void sample(long now) {
        if (attend != null) {
            attend.run();
        }
        double steal = Double.NaN; // read once per sample, and only if a poll needs it
        for (PollProbe p : probes) {
            long seq = p.seq();
            if (seq != p.monitorSeq) {
                endIncident(p);
                p.monitorSeq = seq;
                p.monitorSince = now;
                p.monitorReported = false;
                p.monitorCompensated = false;
                p.monitorDemand = 0;
                p.monitorCpuLast = (seq & 1) != 0 && compensationNanos != 0 ? cpu.read(p.thread, p.nativeTid)
                        : CpuDemand.Reading.UNKNOWN;
                p.monitorCpuLastAt = now;
                continue;
            }
            p.monitorLastSeen = now;
            if ((seq & 1) == 0 || p.blockingInPlace) {
                continue; // between polls, or blocking on purpose without a core
            }
            long blocked = now - p.monitorSince;
            if (thresholdNanos != 0 && !p.monitorReported && blocked >= thresholdNanos) {
                p.monitorReported = true;
                if (report(p, blocked)) {
                    open.add(p);
                }
            }
            if (compensationNanos != 0 && !p.monitorCompensated) {
                if (Double.isNaN(steal)) {
                    steal = cpu.stealShare();
                }
                double share = sampleDemand(p, now, blocked, steal);
                if (blocked >= compensationNanos) {
                    p.monitorCpuShare = share;
                    p.monitorCompensated = compensate.offer(p, seq);
                }
            }
        }
    }

    /**
     * Reads the CPU clocks of a probe's thread, still in the poll the monitor saw {@code blocked}
     * ago, adds the interval since the previous sample to the poll's CPU demand, and returns the
     * share of the poll it wanted a CPU (see {@link #cpuShare}); 0 if unknown.
     */
    private double sampleDemand(PollProbe p, long now, long blocked, double steal) {
        CpuDemand.Reading last = p.monitorCpuLast;
        CpuDemand.Reading r = last.onCpu() < 0 ? last : cpu.read(p.thread, p.nativeTid);
        if (r.onCpu() < 0) {
            return 0;
        }
        if (r.kernel() != last.kernel()) {
            // the thread's kernel id arrived between the readings (a thread that just started)
            p.monitorCpuLast = r;
            p.monitorCpuLastAt = now;
            return (double) p.monitorDemand / Math.max(1, blocked);
        }
        long interval = CpuDemand.demand(r.onCpu() - last.onCpu(), r.queued() - last.queued(), steal);
        long window = now - p.monitorCpuLastAt;
        p.monitorDemand += interval;
        p.monitorCpuLast = r;
        p.monitorCpuLastAt = now;
        return cpuShare(p.monitorDemand, blocked, interval, window);
    }

    /**
     * The share of a poll's time its thread wanted a CPU, for the blocked-or-computing decision:
     * the larger of the share since the poll was first seen and the share over the monitor's last
     * sampling interval. A thread counts as waiting only if both are low, so a computing thread
     * that lost its CPU for a moment (to a JIT or GC thread, or a busy machine) early in a short
     * threshold, or just before this sample, is not taken for a blocked one.
     */
    static double cpuShare(long demandSinceStart, long blocked, long demandLastInterval, long window) {
        double sinceStart = (double) demandSinceStart / Math.max(1, blocked);
        return window <= 0 ? sinceStart : Math.max(sinceStart, (double) demandLastInterval / window);
    }

    private void endIncident(PollProbe p) {
        if (!open.remove(p)) {
            return;
        }
        LongPollEvent event = new LongPollEvent();
        if (event.shouldCommit()) {
            event.worker = p.thread.getName();
            event.task = p.monitorTask;
            event.pollNanos = p.monitorLastSeen - p.monitorSince;
            event.commit();
        }
    }

    /** Reports an incident; false if the poll ended while we looked (nothing to report). */
    private boolean report(PollProbe p, long blockedNanos) {
        Thread thread = p.thread;
        StackTraceElement[] stack = thread.getStackTrace();
        if (p.seq() != p.monitorSeq) {
            return false;
        }
        Task<?> task = p.context.current; // racy read; the thread has been in this poll for a while
        String what = task != null ? task.describe() : "(unknown task)";
        p.monitorTask = what;
        BlockedWorkerEvent event = new BlockedWorkerEvent();
        if (event.shouldCommit()) {
            event.worker = thread.getName();
            event.task = what;
            event.blockedNanos = blockedNanos;
            event.workerStack = String.join("\n", Arrays.stream(stack).map(StackTraceElement::toString).toList());
            event.commit();
        }
        scheduler.reportBlockedWorker(new BlockedWorkerIncident(thread.getName(), what, Duration.ofNanos(blockedNanos),
                Arrays.asList(stack)));
        return true;
    }
}
