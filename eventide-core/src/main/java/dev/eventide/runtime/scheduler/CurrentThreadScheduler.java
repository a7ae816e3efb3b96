package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.RuntimeConfig;
import dev.eventide.runtime.Scheduler;
import dev.eventide.runtime.task.Task;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The single-threaded scheduler (tokio's {@code current_thread}): every task runs on the thread
 * that calls {@code blockOn}, for as long as that call lasts. Between calls, spawned and woken
 * tasks wait in the queue. A FIFO queue that only the driving thread touches, plus an intrusive
 * queue for tasks spawned or woken from other threads, who then unpark the driving thread. No
 * LIFO slot and no stealing: there is nobody to steal from.
 *
 * <p>One thread drives at a time; a second concurrent {@code blockOn} is refused with an
 * {@link IllegalStateException}.
 */
public final class CurrentThreadScheduler extends Scheduler {
    private final ArrayDeque<Task<?>> local = new ArrayDeque<>();
    /** Wakers of tasks that yielded: woken when the queue runs dry or at maintenance. */
    private final java.util.ArrayList<dev.eventide.Waker> deferred = new java.util.ArrayList<>();
    private final InjectQueue remote = new InjectQueue();
    private final AtomicReference<Thread> driverThread = new AtomicReference<>();
    private final ExecContext context = new ExecContext(this, -1);
    private final Parker parker = new Parker(driver);
    private int tick;

    public CurrentThreadScheduler(RuntimeConfig config) {
        super(config, 2);
        // Asked by the driving thread itself, when it is about to park: the queues are its own.
        driver.setIdleProbe(() -> local.isEmpty() && remote.isEmpty() && !blockingPool.isBusy());
    }

    private boolean onDriverThread() {
        return driverThread.get() == ExecContext.currentThread();
    }

    @Override
    public void schedule(Task<?> task) {
        if (onDriverThread()) {
            local.addLast(task);
        } else {
            remote.push(task);
            parker.unpark();
        }
    }

    @Override
    public void scheduleYield(Task<?> task) {
        local.addLast(task); // called by Task.run, on the driving thread
    }

    @Override
    public void defer(dev.eventide.Waker waker) {
        if (onDriverThread()) {
            deferred.add(waker);
        } else {
            waker.wake();
        }
    }

    private void maintenance() {
        parker.pollDriver();
        for (int i = 0; i < deferred.size(); i++) {
            deferred.get(i).wake(); // onto the back of the local queue
        }
        deferred.clear();
    }

    @Override
    protected void scheduleSpawned(Task<?> task) {
        schedule(task);
    }

    @Override
    protected int registryShard() {
        return onDriverThread() ? 0 : 1;
    }

    /**
     * Runs this runtime's tasks on the calling thread until {@code done} says so (checked after
     * every task and before every park) or the deadline (a {@link System#nanoTime()} value, or
     * {@link Long#MAX_VALUE}) passes. Returns whether {@code done} held.
     */
    public boolean drive(BooleanSupplier done, long deadline) {
        if (ExecContext.current() != null) {
            throw new IllegalStateException(RUNTIME_IN_RUNTIME);
        }
        Thread me = Thread.currentThread();
        if (!driverThread.compareAndSet(null, me)) {
            throw new IllegalStateException("this current-thread runtime is already being driven by "
                    + driverThread.get().getName() + " (a concurrent blockOn); a current-thread runtime runs"
                    + " on one thread at a time. Spawn onto it through its handle instead.");
        }
        ExecContext.bindForeign(me, context);
        parker.thread = me;
        try {
            while (!done.getAsBoolean()) {
                tick++;
                if (tick % config.eventInterval() == 0) {
                    maintenance();
                }
                Task<?> task = nextTask();
                if (task != null) {
                    task.run(context);
                    continue;
                }
                if (!deferred.isEmpty()) {
                    maintenance();
                    continue;
                }
                if (done.getAsBoolean()) {
                    return true;
                }
                if (deadline == Long.MAX_VALUE) {
                    parker.park();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    parker.park(left);
                }
            }
            return true;
        } finally {
            ExecContext.unbindForeign(me);
            driverThread.set(null);
        }
    }

    private Task<?> nextTask() {
        if (tick % config.globalQueueInterval() == 0) {
            Task<?> t = remote.pop();
            if (t != null) {
                return t;
            }
        }
        Task<?> t = local.pollFirst();
        return t != null ? t : remote.pop();
    }

    @Override
    public boolean shutdown(long timeoutNanos) {
        if (ExecContext.current() != null) {
            throw new IllegalStateException("a runtime cannot be shut down from a thread that is driving"
                    + " tasks: close it from outside, after blockOn returns.");
        }
        long deadline = System.nanoTime() + timeoutNanos;
        closeAndAbortAll();
        // Nobody else drives this runtime: run the cancellations here, so finally blocks run.
        boolean tasksDone = drive(() -> local.isEmpty() && remote.isEmpty() && registry.liveCount() == 0, deadline);
        closeResources();
        boolean blockingDone = blockingPool.shutdown(Math.max(0, deadline - System.nanoTime()));
        driver.close();
        return tasksDone && blockingDone;
    }

    /** The message for starting a runtime inside a runtime. */
    public static final String RUNTIME_IN_RUNTIME = "Cannot start a runtime from within a runtime: blockOn"
            + " (or another blocking entry point) was called on a thread that is driving asynchronous tasks."
            + " Blocking that thread would stall every task it runs, and could deadlock if the awaited work"
            + " needs this thread. Inside an async block use await(); elsewhere on a worker, spawn the work.";
}
