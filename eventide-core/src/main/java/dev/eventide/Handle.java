package dev.eventide;

import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.Scheduler;
import dev.eventide.runtime.task.BlockTask;
import dev.eventide.runtime.task.Continuations;
import dev.eventide.runtime.task.FutureTask;
import dev.eventide.runtime.task.Task;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A reference to a runtime through which any thread (a worker of another runtime included) can
 * spawn tasks onto it. Obtained from {@link Eventide#handle()}, or {@link #current()} inside a
 * task. Spawning onto a runtime that has been closed returns a handle that is already cancelled.
 */
public final class Handle {
    final Scheduler scheduler;

    Handle(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * The handle of the runtime the calling thread drives.
     *
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static Handle current() {
        return new Handle(currentScheduler("Handle.current()"));
    }

    static Scheduler currentScheduler(String what) {
        return schedulerOf(ExecContext.currentThread(), what);
    }

    /** The scheduler {@code caller}, the calling thread, drives; {@code what} names the caller's operation. */
    static Scheduler schedulerOf(Thread caller, String what) {
        ExecContext cx = ExecContext.of(caller);
        if (cx == null) {
            throw new IllegalStateException(what + " must be called from a task running on an Eventide runtime;"
                    + " this thread belongs to none. Use runtime.handle() to reach a runtime from outside.");
        }
        return cx.scheduler;
    }

    /** Spawns an async block: straight-line code whose {@code await()} calls suspend the task. */
    public <T> JoinHandle<T> spawn(Callable<T> block) {
        Objects.requireNonNull(block, "block");
        return spawnBlock(scheduler, block, ExecContext.currentThread());
    }

    /** Spawns an async block that returns nothing. */
    public JoinHandle<Void> spawn(Runnable block) {
        Objects.requireNonNull(block, "block");
        return spawnBlock(scheduler, block, ExecContext.currentThread());
    }

    /** Spawns a poll-based future as a task. */
    public <T> JoinHandle<T> spawn(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return scheduler.spawn(new FutureTask<>(scheduler, future));
    }

    /** Runs blocking code on the runtime's blocking pool; see {@link Eventide#spawnBlocking}. */
    public <T> JoinHandle<T> spawnBlocking(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return scheduler.blockingPool.spawn(body);
    }

    /** Spawns {@code block} on {@code scheduler}; {@code caller} is the calling thread. */
    static <T> Task<T> spawnBlock(Scheduler scheduler, Callable<T> block, Thread caller) {
        Continuations.ensureAvailable();
        return scheduler.spawn(new BlockTask<>(scheduler, block), caller);
    }

    /** A block without a value, run as it is (no adapter: one frame less under every await). */
    static Task<Void> spawnBlock(Scheduler scheduler, Runnable block, Thread caller) {
        Continuations.ensureAvailable();
        return scheduler.spawn(new BlockTask<Void>(scheduler, block), caller);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handle h && h.scheduler == scheduler;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(scheduler);
    }
}
