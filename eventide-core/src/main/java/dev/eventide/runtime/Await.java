package dev.eventide.runtime;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.task.BlockTask;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Future#await()}: suspend an async block, block a foreign thread, or refuse.
 */
public final class Await {
    private Await() {
    }

    /**
     * Implements {@link Future#await()}; see its table. Kept under the JIT's limit for inlining
     * even at a call site it thinks cold (35 bytes of bytecode), so that it adds no frame of its
     * own under a suspended block: each such frame is copied at every suspension and resume.
     */
    public static <T> T await(Future<T> future) {
        ExecContext cx = ExecContext.current();
        BlockTask<?> block;
        if (cx != null && (block = cx.mountedBlock) != null) {
            return block.awaitSuspending(future);
        }
        return awaitOffBlock(future, cx);
    }

    private static <T> T awaitOffBlock(Future<T> future, ExecContext cx) {
        if (cx == null) {
            return blockOn(future, ExecContext.currentThread());
        }
        throw new IllegalStateException(
                "await() was called on a runtime worker thread outside an async block (inside a poll, or a"
                        + " runtime hook). Blocking there would stall every task of this worker. Inside a"
                        + " poll-based future, poll the inner future and return Poll.pending(); or run the"
                        + " code as an async block (Eventide.spawn(() -> ...)).");
    }

    /**
     * Blocks the calling thread, which must belong to no runtime, until {@code future} completes.
     *
     * @param what the operation, for the error message
     */
    public static <T> T block(Future<T> future, String what) {
        return blockOn(future, checkMayBlock(what));
    }

    /**
     * Returns the calling thread, or throws if it drives a runtime's tasks (see
     * {@link #block}); for callers that may answer without blocking once they know.
     *
     * @param what the operation, for the error message
     */
    public static Thread checkMayBlock(String what) {
        Thread caller = ExecContext.currentThread();
        if (ExecContext.of(caller) != null) {
            throw new IllegalStateException(what + " blocks the calling thread, and this is a runtime worker"
                    + " thread: blocking it would stall every task of this worker. Inside an async block use"
                    + " await(); elsewhere on a worker, spawn the work or use Eventide.spawnBlocking.");
        }
        return caller;
    }

    /**
     * How long a blocked thread polls for its wake-up, yielding its CPU between looks, before it
     * parks. A task's result often comes within microseconds (a thread joining, in spawn order,
     * tasks that workers complete in about that order: workloads W2 and W3), and a parked thread
     * costs the worker that wakes it a system call and then, woken, preempts whichever worker
     * runs on its CPU: a thread joining a thousand tasks behind busy workers (W3b) was woken
     * about a hundred times per thousand. The looks yield ({@code Thread.yield}), so that on a
     * machine with more runnable threads than CPUs a worker that waits for this CPU gets it. Short,
     * because this thread is not one of the runtime's: measured in the same runs, 2 µs kept all
     * of the gain of 10 and 30 µs on W3a and W3b (W3b poll 820 -> 209 ns per task), and cost W2
     * nothing visible, where 10 and 30 µs cost it 5-20%.
     */
    static final long SPIN_NANOS = 2_000;

    /** Blocks {@code caller}, the calling thread, until {@code future} is ready; see {@link #block}. */
    public static <T> T blockOn(Future<T> future, Thread caller) {
        ThreadWaker waker = new ThreadWaker(caller);
        Context cx = Context.of(waker);
        for (;;) {
            Poll<T> p = future.poll(cx);
            if (p.isReady()) {
                return p.value();
            }
            if (waker.spinUntilWoken(SPIN_NANOS)) {
                continue;
            }
            while (!waker.consume()) {
                LockSupport.park(waker);
                if (Thread.interrupted()) {
                    future.cancel();
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while waiting for a future");
                }
            }
        }
    }

    /** Wakes a thread blocked in {@link #blockOn}. */
    private static final class ThreadWaker implements Waker {
        private final Thread thread;
        private volatile boolean notified;

        ThreadWaker(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void wake() {
            notified = true;
            LockSupport.unpark(thread);
        }

        boolean consume() {
            if (notified) {
                notified = false;
                return true;
            }
            return false;
        }

        /** Spins for up to {@code nanos} until woken; true (the wake consumed) if it was. */
        boolean spinUntilWoken(long nanos) {
            long start = System.nanoTime();
            do {
                if (consume()) {
                    return true;
                }
                Thread.yield(); // a worker waiting for this CPU gets it: this thread only polls
            } while (System.nanoTime() - start < nanos);
            return consume();
        }
    }
}
