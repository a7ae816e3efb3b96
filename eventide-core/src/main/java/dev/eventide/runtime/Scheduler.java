package dev.eventide.runtime;

import dev.eventide.runtime.blocking.BlockingPool;
import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.task.Task;
import dev.eventide.runtime.task.TaskRegistry;
import java.lang.invoke.VarHandle;

/**
 * What tasks need from the scheduler that runs them, and what both schedulers (multi-thread
 * and current-thread) share: the driver, the blocking pool, the registry of live tasks and the
 * closed flag.
 *
 * <p>Spawning: the new task is added to the registry <em>before</em> the closed flag is read,
 * and {@code close()} sets the flag before it walks the registry, so every task is either
 * refused at spawn or cancelled by shutdown (or both, harmlessly).
 */
public abstract class Scheduler {
    public final RuntimeConfig config;
    public final Driver driver;
    public final BlockingPool blockingPool;
    protected final TaskRegistry registry;
    private volatile boolean closed;

    protected Scheduler(RuntimeConfig config, int registryShards) {
        this.config = config;
        this.driver = new Driver(config.startPaused());
        this.blockingPool = new BlockingPool(config);
        this.registry = new TaskRegistry(registryShards);
    }

    /** Queues a task that was just notified; called from any thread (a wake or an abort). */
    public abstract void schedule(Task<?> task);

    /** Queues a task whose poll ended with it notified: a yield, to the back of the queue. */
    public abstract void scheduleYield(Task<?> task);

    /**
     * Wakes {@code waker} later, once this worker has run out of other ready work or at its next
     * maintenance tick (tokio's {@code defer}): how a task yields. Called from the yielding
     * task's poll; off a worker of this runtime, wakes at once.
     */
    public abstract void defer(dev.eventide.Waker waker);

    /** Queues a new task for its first poll. */
    protected abstract void scheduleSpawned(Task<?> task);

    /** The registry shard for the calling thread. */
    protected abstract int registryShard();

    /** Hook: a task of this scheduler completed. */
    public void taskCompleted(Task<?> task) {
    }

    /** Binds a new task to this runtime and queues it; the task is cancelled if the runtime is closed. */
    public final <T> Task<T> spawn(Task<T> task) {
        registry.add(task, registryShard());
        VarHandle.fullFence();
        if (closed) {
            task.cancelUnscheduled();
        } else {
            scheduleSpawned(task);
        }
        return task;
    }

    public final boolean isClosed() {
        return closed;
    }

    /** Stops accepting tasks and requests cancellation of every live one. */
    protected final void closeAndAbortAll() {
        closed = true;
        VarHandle.fullFence();
        registry.forEachLive(Task::abort);
    }

    /** The number of live tasks (approximate while tasks are being spawned). */
    public final long liveTasks() {
        return registry.liveCount();
    }

    /** Shuts the runtime down; see {@code Eventide.shutdownTimeout}. Returns false on timeout. */
    public abstract boolean shutdown(long timeoutNanos);
}
