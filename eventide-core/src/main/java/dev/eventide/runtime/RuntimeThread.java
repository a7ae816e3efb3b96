package dev.eventide.runtime;

/**
 * A thread that drives a runtime's tasks. Workers subclass it so that the current worker is
 * found with one {@code instanceof}, not a {@code ThreadLocal} (DESIGN §9).
 */
public abstract class RuntimeThread extends Thread {
    /** This thread's execution context: which runtime, which task is being polled. */
    public final ExecContext context;

    protected RuntimeThread(ThreadGroup group, String name, Scheduler scheduler, int workerIndex, int registryShard) {
        super(group, null, name, 0, false);
        this.context = new ExecContext(scheduler, workerIndex, registryShard);
        setDaemon(true);
    }
}
