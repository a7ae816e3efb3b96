package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.RuntimeConfig;
import dev.eventide.runtime.Scheduler;
import dev.eventide.runtime.task.Task;
import java.time.Duration;
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
 * {@link IllegalStateException}. The blocked-worker detector watches whichever thread drives;
 * there is no compensation (nothing else may run this runtime's tasks).
 */
public final class CurrentThreadScheduler extends Scheduler {
    // Metrics: written by the driving thread, read racily by metrics().
    private long polls;
    private long parks;
    private long parkedNanos;
    private long drivenNanos; // time inside drive(), finished calls
    private long drivingSince; // start of the drive() in progress, or 0
    private final ArrayDeque<Task<?>> local = new ArrayDeque<>();
    /** Wakers deferred by polls: woken when the queue runs dry or at maintenance. */
    private final java.util.ArrayList<dev.eventide.Waker> deferred = new java.util.ArrayList<>();
    /** Tasks that yielded themselves and are {@linkplain Task#isHeld held}: queued at the same moments. */
    private final java.util.ArrayList<Task<?>> yielded = new java.util.ArrayList<>();
    private final InjectQueue remote = new InjectQueue();
    private final AtomicReference<Thread> driverThread = new AtomicReference<>();
    private final ExecContext context = new ExecContext(this, -1, DRIVER_SHARD);
    private final Parker parker = new Parker(driver);
    /** Unparks the thread driving the runtime; see {@link #liveTaskLeft}. */
    private final dev.eventide.Waker unparkDriver = parker::unpark;
    /** Ticks until the next maintenance pass, and until the next look at the remote queue first. */
    private int ticksToMaintenance;
    private int ticksToRemote;
    /** Fixed: one thread has nobody to be fair to but the remote queue. */
    private final int globalQueueInterval;
    /** What the blocked-worker monitor samples; its thread is whichever thread drives. */
    private final PollProbe probe = new PollProbe(null, context);
    /** The blocked-worker detector; null when it is off. No compensation: there is one thread. */
    private final BlockedWorkerMonitor monitor;

    public CurrentThreadScheduler(RuntimeConfig config) {
        super(config, 2, 0); // the driving thread's shard, and the foreign one; both shared (drivers change)
        this.globalQueueInterval = config.globalQueueInterval() == 0 ? GlobalQueueInterval.INITIAL
                : config.globalQueueInterval();
        this.ticksToMaintenance = config.eventInterval();
        this.ticksToRemote = globalQueueInterval;
        // Asked by the driving thread itself, when it is about to park: the queues are its own.
        driver.setIdleProbe(() -> local.isEmpty() && remote.isEmpty() && !blockingPool.isBusy());
        this.monitor = config.blockedWorkerThreshold().isZero() ? null
                : new BlockedWorkerMonitor(this, java.util.List.of(probe), config.blockedWorkerThreshold(),
                        Duration.ZERO, null, null, config.threadNamePrefix() + "-monitor");
    }

    /** Starts the blocked-worker monitor, if it is on. */
    public void start() {
        if (monitor != null) {
            monitor.start();
        }
    }

    private boolean onDriverThread() {
        return driverThread.get() == ExecContext.currentThread();
    }

    @Override
    public void schedule(Task<?> task) {
        scheduleSpawned(task, ExecContext.currentThread());
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

    @Override
    public boolean deferHeld(Task<?> task) {
        yielded.add(task); // Task.run ends a poll: on the driving thread
        return true;
    }

    private void maintenance() {
        parker.pollDriver();
        for (int i = 0; i < yielded.size(); i++) {
            local.addLast(yielded.get(i)); // held: queued as it is
        }
        yielded.clear();
        for (int i = 0; i < deferred.size(); i++) {
            deferred.get(i).wake(); // onto the back of the local queue
        }
        deferred.clear();
    }

    @Override
    protected void scheduleSpawned(Task<?> task, Thread caller) {
        // a spawn and a wake go the same way: local on the driving thread, remote from elsewhere
        if (driverThread.get() == caller) {
            local.addLast(task);
        } else {
            remote.push(task);
            parker.unpark();
        }
    }

    /** The registry shard of the thread driving the runtime (one at a time); the other is foreign. */
    private static final int DRIVER_SHARD = 0;

    @Override
    protected void cancelQueuedSpawns() {
        remote.cancelUnregistered();
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
        probe.thread = me;
        drivingSince = System.nanoTime();
        try {
            while (!done.getAsBoolean()) {
                if (--ticksToMaintenance <= 0) {
                    ticksToMaintenance = config.eventInterval();
                    maintenance();
                }
                Task<?> task = nextTask();
                if (task != null) {
                    polls++;
                    probe.pollStarted();
                    task.run(context);
                    probe.pollEnded();
                    continue;
                }
                if (!deferred.isEmpty() || !yielded.isEmpty()) {
                    maintenance();
                    continue;
                }
                if (done.getAsBoolean()) {
                    return true;
                }
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                parks++;
                long parkStart = System.nanoTime();
                try {
                    if (left == Long.MAX_VALUE) {
                        parker.park();
                    } else {
                        parker.park(left);
                    }
                } finally {
                    parkedNanos += System.nanoTime() - parkStart;
                }
            }
            return true;
        } finally {
            drivenNanos += System.nanoTime() - drivingSince;
            drivingSince = 0;
            ExecContext.unbindForeign(me);
            driverThread.set(null);
        }
    }

    /**
     * The runtime's figures; polls and parks are counted by whichever thread drives it (one at a
     * time) and read racily, and busy time is time spent driving tasks (inside {@code blockOn}
     * or shutdown) and not parked.
     */
    @Override
    public dev.eventide.RuntimeMetrics metrics() {
        long since = drivingSince;
        long driven = drivenNanos + (since != 0 ? Math.max(0, System.nanoTime() - since) : 0);
        long busy = Math.max(0, driven - parkedNanos);
        var worker = new dev.eventide.RuntimeMetrics.Worker(0, local.size(), polls, 0, parks,
                java.time.Duration.ofNanos(busy));
        return metrics(remote.len(), java.util.List.of(worker));
    }

    private Task<?> nextTask() {
        if (--ticksToRemote <= 0) {
            ticksToRemote = globalQueueInterval;
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
        closeAndAbortAll(deadline);
        // Nobody else drives this runtime: run the cancellations here, so finally blocks run.
        boolean tasksDone = drive(() -> local.isEmpty() && remote.isEmpty() && !liveTaskLeft(), deadline);
        boolean monitorDone = true;
        if (monitor != null) {
            try {
                monitorDone = monitor.shutdown(Math.max(0, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                monitorDone = false;
            }
        }
        closeResources();
        boolean blockingDone = blockingPool.shutdown(Math.max(0, deadline - System.nanoTime()));
        driver.close();
        return tasksDone && blockingDone && monitorDone;
    }

    /**
     * Whether a registered task is still live; if so, its completion will unpark the thread
     * driving the shutdown. A task may complete on another thread without anything queued here
     * (a spawn that lost the race with the close cancels its own task), and the drive would
     * otherwise park until its deadline (SpawnCloseRaceTest).
     */
    private boolean liveTaskLeft() {
        for (;;) {
            Task<?> t = registry.anyLive();
            if (t == null) {
                return false;
            }
            if (t.wakeOnCompletion(unparkDriver)) { // one waker object: registering it again is a no-op
                return true;
            }
        }
    }

    /** The message for starting a runtime inside a runtime. */
    public static final String RUNTIME_IN_RUNTIME = "Cannot start a runtime from within a runtime: blockOn"
            + " (or another blocking entry point) was called on a thread that is driving asynchronous tasks."
            + " Blocking that thread would stall every task it runs, and could deadlock if the awaited work"
            + " needs this thread. Inside an async block use await(); elsewhere on a worker, spawn the work.";
}
