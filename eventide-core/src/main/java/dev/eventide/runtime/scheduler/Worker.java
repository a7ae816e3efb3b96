package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.RuntimeThread;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A platform thread running one event loop of the multi-thread scheduler over the {@link Core}
 * it holds. It gives the core up in {@code blockInPlace}, and then ends once the task it is
 * polling returns. A worker with a {@link Compensator} is temporary: it stands in for a blocked
 * worker and ends when that worker's poll returns.
 */
final class Worker extends RuntimeThread {
    final MultiThreadScheduler scheduler;
    private static final VarHandle POLL_SEQ;

    static {
        try {
            POLL_SEQ = MethodHandles.lookup().findVarHandle(Worker.class, "pollSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The core this thread runs; null once handed to another thread. */
    volatile Core core;
    /**
     * Poll sequence number for the blocked-worker monitor: incremented when a poll begins (odd:
     * inside a poll) and when it ends (even). Written with {@code setOpaque} (a plain store on
     * x86 that the JIT may not elide), read with {@code getOpaque} by the monitor: the monitor
     * needs only to see the value eventually, not ordered with anything else.
     */
    @SuppressWarnings("unused") // reached through POLL_SEQ
    private long pollSeq;
    /** Set when the thread gave its core up to block on purpose: the monitor ignores it. */
    volatile boolean blockingInPlace;
    // Monitor-only bookkeeping (touched by the monitor thread alone).
    long monitorSeq = -1;
    long monitorSince;
    boolean monitorReported;
    boolean monitorCompensated;
    long monitorLastSeen;
    String monitorTask;

    /** Set on a temporary worker that stands in for a blocked one; null on a regular worker. */
    final Compensator compensator;

    Worker(MultiThreadScheduler scheduler, Core core, Compensator compensator, String name) {
        super(scheduler.threadGroup(), name, scheduler, core.index);
        this.scheduler = scheduler;
        this.core = core;
        this.compensator = compensator;
    }

    /** Marks the start of a poll; called by the owning thread only. */
    void pollStarted() {
        POLL_SEQ.setOpaque(this, (long) POLL_SEQ.getOpaque(this) + 1);
    }

    /** Marks the end of a poll; called by the owning thread only. */
    void pollEnded() {
        POLL_SEQ.setOpaque(this, (long) POLL_SEQ.getOpaque(this) + 1);
    }

    /** The poll sequence number (odd while inside a poll); any thread. */
    long pollSeq() {
        return (long) POLL_SEQ.getOpaque(this);
    }

    @Override
    public void run() {
        scheduler.runHook(scheduler.config.onThreadStart(), this);
        try {
            scheduler.runWorker(this);
        } finally {
            scheduler.runHook(scheduler.config.onThreadStop(), this);
            scheduler.workerExited(this);
        }
    }
}
