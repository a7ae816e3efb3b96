package dev.eventide.runtime.task;

import dev.eventide.CancelledException;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.Scheduler;
import java.util.concurrent.Callable;

/**
 * A task whose body is an async block: straight-line code on a {@link Coroutine}. A poll of the
 * task mounts the coroutine, which runs until it completes or an {@code await} finds its future
 * pending and suspends; the JVM captures the stack, so the block's locals are the state machine.
 *
 * <p>Cancellation takes effect at an {@code await}, as in tokio: an aborted block is resumed
 * once more; the {@code await} it was suspended in cancels its future and throws
 * {@link CancelledException}, so {@code finally} blocks run. Every later {@code await} of the
 * unwinding block throws too (there is nothing left to wait for), and however the body then
 * ends, the task completes as cancelled. A block that runs to its end before any {@code await}
 * has thrown (the abort came during its last poll) completes with its own outcome.
 */
public final class BlockTask<T> extends Task<T> {
    private Coroutine coroutine;
    private Callable<T> body;
    private boolean started;
    /** An await has thrown CancelledException: the block knows it was aborted. */
    private boolean cancellationDelivered;
    private T value;
    private Throwable failure;

    /** Call {@link Continuations#ensureAvailable()} first: this class needs the continuation API. */
    public BlockTask(Scheduler scheduler, Callable<T> body) {
        super(scheduler);
        this.body = body;
        this.coroutine = new Coroutine(this::runBody);
    }

    @Override
    public String describe() {
        Callable<T> b = body;
        return "async block " + (b != null ? b.getClass().getName() : "(finished)") + "@"
                + Integer.toHexString(System.identityHashCode(this));
    }

    /** The suspended block's frames, from its unmounted continuation; see {@link Task#inspectIdle}. */
    @Override
    public StackTraceElement[] suspendedStack() {
        Coroutine c = coroutine;
        return c != null && started ? c.suspendedStackTrace() : new StackTraceElement[0];
    }

    private void runBody() {
        try {
            value = body.call();
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    protected boolean step(ExecContext cx) {
        if (!started && isCancelRequested()) {
            release();
            completeCancelled();
            return true;
        }
        started = true;
        coroutine.run();
        if (!coroutine.isDone()) {
            return false;
        }
        Throwable f = failure;
        T v = value;
        release();
        if (cancellationDelivered) {
            completeCancelled();
        } else if (f != null) {
            completeWithFailure(f);
        } else {
            completeWithValue(v);
        }
        return true;
    }

    private void release() {
        coroutine = null;
        body = null;
        value = null;
        failure = null;
    }

    /**
     * {@code future.await()} inside this block: poll, and while pending, suspend until woken.
     * Runs on the block's own stack; after a suspension it may continue on another worker.
     */
    public <R> R awaitSuspending(Future<R> future) {
        for (;;) {
            if (isCancelRequested()) {
                cancellationDelivered = true;
                future.cancel();
                throw new CancelledException("task was aborted");
            }
            Poll<R> p = future.poll(this);
            if (p.isReady()) {
                return p.value();
            }
            try {
                Coroutine.suspend();
            } catch (IllegalStateException pinned) {
                future.cancel();
                throw pinned;
            }
        }
    }
}
