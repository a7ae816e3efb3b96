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
 * <h2>Resuming only when the awaited future is ready</h2>
 * An {@code await} polls its future once on the block's stack; if it is pending, the block
 * records the future in {@link #awaiting} and suspends. From then on each poll of the task polls
 * that future <em>on the worker's own stack</em>, and mounts the coroutine only once the future
 * is ready (or failed, or the task was aborted), handing it the outcome. So:
 * <ul>
 *   <li>a wake that finds the future still pending costs a poll, not a thaw and a freeze of the
 *       block's stack;</li>
 *   <li>the code that runs in the block's frozen frames after a resume is only "take the handed
 *       outcome", with a single branch (value or not) and no call the JVM has not linked yet.
 *       This matters: a compiled frame that resumes into code the JIT compiled as "never
 *       happens" (a branch its profile never saw taken, a call site never executed) hits an
 *       uncommon trap and is deoptimised, and every suspended block holds its own copy of that
 *       frame. When the await's poll loop ran in the block, a program that parked a million
 *       blocks on pending futures and then woke them all (the poll saw "ready" for the first
 *       time) deoptimised a million frames, tens of microseconds each. The rare outcomes (the
 *       abort, a failed poll) still deoptimise a frozen frame compiled from a profile that
 *       never saw them; that is one trap per aborted block, as before.</li>
 * </ul>
 * The entry point of the coroutine is this task itself ({@link #run()}), and a {@code Runnable}
 * body is run as it is, not through a {@code Callable} adapter: fewer frames to freeze and thaw
 * at each suspension, and two fewer objects per task.
 *
 * <p>Cancellation takes effect at an {@code await}, as in tokio: an aborted block is resumed
 * once more; the {@code await} it was suspended in cancels its future and throws
 * {@link CancelledException}, so {@code finally} blocks run. Every later {@code await} of the
 * unwinding block throws too (there is nothing left to wait for), and however the body then
 * ends, the task completes as cancelled. A block that runs to its end before any {@code await}
 * has thrown (the abort came during its last poll) completes with its own outcome.
 */
public final class BlockTask<T> extends Task<T> implements Runnable {
    /** {@link #resumed} is the await's value, or the body's. */
    private static final byte VALUE = 0;
    /** {@link #resumed} is a throwable: the awaited future's poll threw it, or the body did. */
    private static final byte FAILURE = 1;
    /** The task was aborted while suspended: the await cancels the future in {@link #resumed} and throws. */
    private static final byte CANCEL = 2;

    private Coroutine coroutine;
    /** The future the suspended block awaits; polled by {@link #step} until it is ready. */
    private Future<?> awaiting;
    /**
     * Handed from {@link #step} to the resumed await (the value, the poll's failure, or on abort
     * the awaited future), or from the ended body to {@link #step} (its value or failure).
     */
    private Object resumed;
    private byte resumeKind;
    private boolean started;
    /** The coroutine is mounted on the polling thread: an await there may suspend it. */
    private boolean mounted;
    /** An await has thrown CancelledException: the block knows it was aborted. */
    private boolean cancellationDelivered;
    /**
     * The {@linkplain #body() body} is a {@code Callable} (else a {@code Runnable}); a flag, not
     * an {@code instanceof}, because one object may be both.
     */
    private final boolean callableBody;

    /** Call {@link Continuations#ensureAvailable()} first: this class needs the continuation API. */
    public BlockTask(Scheduler scheduler, Callable<T> body) {
        super(scheduler, body);
        this.callableBody = true;
        this.coroutine = new Coroutine(this);
    }

    /** A block without a value (it completes with null); see {@link #BlockTask(Scheduler, Callable)}. */
    public BlockTask(Scheduler scheduler, Runnable body) {
        super(scheduler, body);
        this.callableBody = false;
        this.coroutine = new Coroutine(this);
    }

    @Override
    public String describe() {
        Object b = body();
        String what = isFinished() || b == null ? "(finished)" : b.getClass().getName();
        return "async block " + what + "@" + Integer.toHexString(System.identityHashCode(this));
    }

    /** The suspended block's frames, from its unmounted continuation; see {@link Task#inspectIdle}. */
    @Override
    public StackTraceElement[] suspendedStack() {
        Coroutine c = coroutine;
        return c != null && started ? c.suspendedStackTrace() : new StackTraceElement[0];
    }

    /**
     * The coroutine's entry point: runs the body on the coroutine's stack. Not for callers (a
     * task is run by its scheduler); called any other way it throws.
     *
     * @throws IllegalStateException unless called on this task's mounted coroutine
     */
    @Override
    public void run() {
        // A JoinHandle is a Runnable too (this class is the coroutine's entry, to save a frame
        // and an object per block): refuse anybody but the coroutine's own first mount.
        Coroutine c = coroutine;
        if (!mounted || awaiting != null || c == null || !c.isCurrent()) {
            throw new IllegalStateException("BlockTask.run() is the entry point of the task's own coroutine");
        }
        try {
            if (callableBody) {
                @SuppressWarnings("unchecked")
                Callable<T> callable = (Callable<T>) body();
                resumed = callable.call();
            } else {
                ((Runnable) body()).run();
                resumed = null;
            }
            resumeKind = VALUE;
        } catch (Throwable t) {
            resumed = t;
            resumeKind = FAILURE;
        }
    }

    @Override
    protected boolean step(ExecContext cx) {
        if (!started) {
            if (isCancelRequested()) {
                release();
                completeCancelled();
                return true;
            }
            started = true;
        } else if (!pollAwaited()) {
            return false;
        }
        mounted = true;
        cx.mountedBlock = this;
        try {
            coroutine.run();
        } finally {
            cx.mountedBlock = null;
            mounted = false;
        }
        if (!coroutine.isDone()) {
            return false;
        }
        Object r = resumed;
        boolean failed = resumeKind == FAILURE;
        release();
        if (cancellationDelivered) {
            completeCancelled();
        } else if (failed) {
            completeWithFailure((Throwable) r);
        } else {
            @SuppressWarnings("unchecked")
            T v = (T) r;
            completeWithValue(v);
        }
        return true;
    }

    /**
     * Polls the future the suspended block awaits, on the worker's stack; returns true, with the
     * outcome in {@link #resumed}, if the block must be resumed.
     */
    private boolean pollAwaited() {
        Future<?> f = awaiting;
        if (isCancelRequested()) {
            resumed = f; // the await cancels it on the block's stack, then throws
            resumeKind = CANCEL;
            return true;
        }
        if (f == null) {
            return true; // defensive: the block only suspends in awaitSuspending
        }
        try {
            Poll<?> p = f.poll(this);
            if (p.isPending()) {
                return false;
            }
            resumed = p.value();
            resumeKind = VALUE;
        } catch (Throwable t) {
            resumed = t;
            resumeKind = FAILURE;
        }
        return true;
    }

    private void release() {
        coroutine = null; // the body goes when the outcome overwrites it
        awaiting = null;
        resumed = null;
    }

    /**
     * {@code future.await()} inside this block: poll, and if pending, suspend until the future
     * is ready (see the class documentation). Runs on the block's own stack; after a suspension
     * it may continue on another worker. One method on purpose: splitting off the suspending
     * part measured 4 words more of frozen stack per suspended block (an extra frame).
     */
    public <R> R awaitSuspending(Future<R> future) {
        if (isCancelRequested()) {
            throw deliverCancellation(future);
        }
        Poll<R> p = ExecContext.pollInOwnFrame(future, this); // never inlined here: see ExecContext
        if (p.isReady()) {
            return p.value();
        }
        awaiting = future;
        try {
            Coroutine.suspend(); // only this task stays live across the suspension: a smaller frame
        } catch (IllegalStateException pinned) {
            throw cancelPinned(pinned);
        }
        @SuppressWarnings("unchecked")
        R r = (R) takeResumed();
        return r;
    }

    /** The await could not suspend (see {@link Coroutine#onPinned}): withdraw from its future. */
    private IllegalStateException cancelPinned(IllegalStateException pinned) {
        Future<?> f = awaiting;
        awaiting = null;
        f.cancel();
        return pinned;
    }

    /** After a resume: the awaited value; throws if the poll failed or the task was aborted. */
    private Object takeResumed() {
        Object r = resumed;
        resumed = null;
        awaiting = null;
        if (resumeKind != VALUE) {
            throw resumeFailure(r);
        }
        return r;
    }

    private RuntimeException resumeFailure(Object r) {
        byte kind = resumeKind;
        resumeKind = VALUE;
        if (kind == CANCEL) {
            return deliverCancellation((Future<?>) r);
        }
        return ExecContext.<RuntimeException>sneaky((Throwable) r);
    }

    private CancelledException deliverCancellation(Future<?> future) {
        cancellationDelivered = true;
        if (future != null) {
            future.cancel();
        }
        return new CancelledException("task was aborted");
    }
}
