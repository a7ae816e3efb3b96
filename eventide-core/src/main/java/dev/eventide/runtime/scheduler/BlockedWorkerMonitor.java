package dev.eventide.runtime.scheduler;

import dev.eventide.BlockedWorkerIncident;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.observe.BlockedWorkerEvent;
import dev.eventide.runtime.observe.LongPollEvent;
import dev.eventide.runtime.task.Task;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocked-worker detector: a daemon thread that notices a worker stuck in one task poll,
 * reports it, and starts a {@link Compensator} for it.
 *
 * <h2>How a blocked worker is seen</h2>
 * Workers do not time their polls (a clock read per poll would cost the hot path more than the
 * whole detector is worth). Instead each worker bumps a poll sequence number when a poll begins
 * and again when it ends, so an odd number means "inside a poll" (tokio's approach, with a
 * tick counter instead of timestamps). This thread wakes every half threshold and samples the
 * numbers: a worker whose number is odd and unchanged since the sample that first saw it, at
 * least {@code threshold} ago, has spent at least the threshold in that one poll. It is then
 * reported once (the number identifies the incident), with the task the worker is polling and
 * the worker's stack, which shows the blocking call. When the number moves on, the incident is
 * over and a {@link LongPollEvent} records how long the monitor saw it. A poll still running past
 * the (separate) compensation threshold gets a compensator, once per incident.
 *
 * <p>Either job can be off (a zero threshold); the thread samples every half of the smaller
 * threshold that is on.
 *
 * <p>A worker that handed its core away with {@code blockInPlace} blocks on purpose and is
 * skipped. Parked and searching workers are between polls (even numbers) and never reported.
 */
final class BlockedWorkerMonitor extends Thread {
    private final MultiThreadScheduler scheduler;
    private final Collection<Worker> workers;
    /** Report threshold; 0: no reports. */
    private final long thresholdNanos;
    /** Compensation threshold; 0: no compensation. */
    private final long compensationNanos;
    private volatile boolean stopped;
    /** Workers with a reported incident not yet seen to end (this thread only). */
    private final java.util.Set<Worker> open = new java.util.HashSet<>();

    BlockedWorkerMonitor(MultiThreadScheduler scheduler, Collection<Worker> workers, Duration threshold,
            Duration compensationThreshold, String name) {
        super(name);
        this.scheduler = scheduler;
        this.workers = workers;
        this.thresholdNanos = threshold.toNanos();
        this.compensationNanos = compensationThreshold.toNanos();
        setDaemon(true);
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
        for (Worker w : open.toArray(new Worker[0])) {
            endIncident(w);
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
        for (Worker w : workers) {
            long seq = w.pollSeq();
            if (seq != w.monitorSeq) {
                endIncident(w);
                w.monitorSeq = seq;
                w.monitorSince = now;
                w.monitorReported = false;
                w.monitorCompensated = false;
                continue;
            }
            w.monitorLastSeen = now;
            if ((seq & 1) == 0 || w.blockingInPlace) {
                continue; // between polls, or blocking on purpose without a core
            }
            long blocked = now - w.monitorSince;
            if (thresholdNanos != 0 && !w.monitorReported && blocked >= thresholdNanos) {
                w.monitorReported = true;
                if (report(w, blocked)) {
                    open.add(w);
                }
            }
            if (compensationNanos != 0 && !w.monitorCompensated && blocked >= compensationNanos) {
                w.monitorCompensated = true;
                scheduler.compensate(w, seq);
            }
        }
    }

    private void endIncident(Worker w) {
        if (!open.remove(w)) {
            return;
        }
        LongPollEvent event = new LongPollEvent();
        if (event.shouldCommit()) {
            event.worker = w.getName();
            event.task = w.monitorTask;
            event.pollNanos = w.monitorLastSeen - w.monitorSince;
            event.commit();
        }
    }

    /** Reports an incident; false if the poll ended while we looked (nothing to report). */
    private boolean report(Worker w, long blockedNanos) {
        StackTraceElement[] stack = w.getStackTrace();
        if (w.pollSeq() != w.monitorSeq) {
            return false;
        }
        ExecContext cx = w.context;
        Task<?> task = cx.current; // racy read; the worker has been in this poll for a while
        String what = task != null ? task.describe() : "(unknown task)";
        w.monitorTask = what;
        BlockedWorkerEvent event = new BlockedWorkerEvent();
        if (event.shouldCommit()) {
            event.worker = w.getName();
            event.task = what;
            event.blockedNanos = blockedNanos;
            event.workerStack = String.join("\n", Arrays.stream(stack).map(StackTraceElement::toString).toList());
            event.commit();
        }
        scheduler.reportBlockedWorker(new BlockedWorkerIncident(w.getName(), what, Duration.ofNanos(blockedNanos),
                Arrays.asList(stack)));
        return true;
    }
}
