package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.ExecContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the {@link BlockedWorkerMonitor} watches on one thread that polls tasks: a poll sequence
 * number, incremented when a poll begins (odd: inside a poll) and when it ends (even). Workers
 * do not time their polls (a clock read per poll would cost the hot path more than the whole
 * detector is worth); the monitor samples the number instead, and a number that stays odd and
 * unchanged across samples spanning the threshold is one poll that long.
 *
 * <p>The number is written with {@code setOpaque} (a plain store on x86 that the JIT may not
 * elide) and read with {@code getOpaque}: the monitor needs only to see it eventually, not ordered
 * with anything else. The remaining fields are the monitor's own bookkeeping.
 */
final class PollProbe {
    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(PollProbe.class, "seq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // reached through SEQ
    private long seq;
    /** The thread polling now (a current-thread runtime's changes with each {@code blockOn}). */
    volatile Thread thread;
    /** Its context, for the task being polled. */
    final ExecContext context;
    /** Set when the thread blocks on purpose ({@code blockInPlace}): the monitor ignores it. */
    volatile boolean blockingInPlace;

    /**
     * The thread's kernel id, for {@link CpuDemand} (-1: unknown); set by the thread itself when it
     * starts.
     */
    volatile int nativeTid = -1;

    // Monitor-only bookkeeping (touched by the monitor thread alone).
    long monitorSeq = -1;
    long monitorSince;
    long monitorLastSeen;
    boolean monitorReported;
    boolean monitorCompensated;
    String monitorTask;
    /**
     * CPU time the thread wanted (see {@link CpuDemand}) since the monitor first saw the current
     * poll, in nanoseconds.
     */
    long monitorDemand;
    /** The thread's CPU clocks at the monitor's previous sample of this poll ({@code onCpu} -1: unknown). */
    CpuDemand.Reading monitorCpuLast = CpuDemand.Reading.UNKNOWN;
    /** When that previous sample was taken ({@code System.nanoTime()}). */
    long monitorCpuLastAt;
    /**
     * The share of the current poll's time the thread wanted a CPU, as of the last compensation
     * decision (see {@code BlockedWorkerMonitor.cpuShare}); 0 when unknown.
     */
    double monitorCpuShare;

    PollProbe(Thread thread, ExecContext context) {
        this.thread = thread;
        this.context = context;
    }

    /** Marks the start of a poll; called by the polling thread only. */
    void pollStarted() {
        SEQ.setOpaque(this, (long) SEQ.getOpaque(this) + 1);
    }

    /** Marks the end of a poll; called by the polling thread only. */
    void pollEnded() {
        SEQ.setOpaque(this, (long) SEQ.getOpaque(this) + 1);
    }

    /** The poll sequence number (odd while inside a poll); any thread. */
    long seq() {
        return (long) SEQ.getOpaque(this);
    }
}
