package dev.eventide.runtime;

import dev.eventide.runtime.task.Task;

/**
 * What a thread that drives tasks knows about what it is doing: the scheduler it belongs to,
 * the task it is polling, and that poll's coop budget.
 *
 * <p>Workers of the multi-thread runtime carry their context in the thread object
 * ({@link RuntimeThread}); a thread inside the current-thread runtime's {@code blockOn} is an
 * ordinary thread, so its context lives in a thread-local for the duration of the call. Fields
 * are touched only by the owning thread.
 */
public final class ExecContext {
    private static final ThreadLocal<ExecContext> FOREIGN = new ThreadLocal<>();

    /** The runtime this thread drives. */
    public final Scheduler scheduler;
    /** The index of this worker in its runtime, or -1 for the current-thread runtime. */
    public final int workerIndex;
    /** The task being polled on this thread, or null between polls. */
    public Task<?> current;
    /** What is left of the current poll's coop budget; see {@link Coop}. */
    public int budget;

    public ExecContext(Scheduler scheduler, int workerIndex) {
        this.scheduler = scheduler;
        this.workerIndex = workerIndex;
    }

    /** The context of the calling thread, or null if it drives no runtime. */
    public static ExecContext current() {
        return Thread.currentThread() instanceof RuntimeThread t ? t.context : FOREIGN.get();
    }

    /** Makes {@code cx} the calling thread's context (null to clear); for schedulers that borrow a thread. */
    public static void bindForeign(ExecContext cx) {
        if (cx == null) {
            FOREIGN.remove();
        } else {
            FOREIGN.set(cx);
        }
    }
}
