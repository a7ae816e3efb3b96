package dev.eventide.runtime.task;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Poll;
import dev.eventide.TaskFailedException;
import dev.eventide.Waker;
import dev.eventide.runtime.Await;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * The joinable half of a task: its state word, its outcome, and the wakers of whoever joins it.
 * Shared by async tasks ({@link Task}) and blocking tasks.
 *
 * <h2>The state word</h2>
 * One {@code int}, changed only by single CAS read-modify-writes, so every task has one total
 * order of events. {@link Task} documents the scheduling bits; here are the completion bits:
 * <ul>
 *   <li>{@link #COMPLETE} — the outcome is published: set once, by the one thread that ran the
 *       task last, after writing {@link #outcome}; the CAS is the release that publishes it.</li>
 *   <li>{@link #CANCELLED} — cancellation was <em>requested</em>. Whether the task ended
 *       cancelled is its outcome ({@link #CANCELLED_OUTCOME}), not this bit: a request that
 *       arrives during the last poll leaves the task's own value in place.</li>
 * </ul>
 * tokio's state word also counts references and join interest so that it knows when to free the
 * task; on the JVM the collector does both, so those bits have no job here.
 *
 * <h2>Joiners</h2>
 * {@link #waiters} is a tiny lock-free stack: {@code null}, one {@link Waker}, a
 * {@link WaiterNode} chain, or {@link #DONE} once the task completed with joiners. Completion
 * swaps in {@code DONE} and wakes what it took out. The common case, one joiner, allocates
 * nothing. A joiner that gives up (a lost {@code select}) is not unlinked: it gets one spurious
 * wake-up when the task completes, which wakers must tolerate anyway.
 *
 * <p>Most tasks are never joined (their handle is dropped), so completion first only reads
 * {@code waiters}, and swaps only if someone is there: an atomic swap per task saved. It is a
 * Dekker pair: completion sets {@code COMPLETE} by CAS and then reads {@code waiters}; a joiner
 * adds itself by CAS and then reads the state again ({@link #addWaiter}'s callers do). Each
 * side's CAS orders its read after its write, so at least one sees the other: a joiner that
 * completion missed sees {@code COMPLETE} and takes the outcome itself; its waker stays in the
 * stack, unwoken or woken once more, harmlessly.
 */
public abstract class Completion<T> implements dev.eventide.JoinHandle<T> {
    /** Held by the thread that is polling (or running) the task. */
    protected static final int RUNNING = 1;
    /** The task is queued for a poll, or must be queued again when the running poll ends. */
    protected static final int NOTIFIED = 1 << 1;
    /** The outcome is published. */
    protected static final int COMPLETE = 1 << 2;
    /** Cancellation was requested. */
    protected static final int CANCELLED = 1 << 3;

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;
    private static final Object DONE = new Object();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Completion.class, "state", int.class);
            WAITERS = l.findVarHandle(Completion.class, "waiters", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The outcome of a task that ended cancelled. */
    private static final Object CANCELLED_OUTCOME = new Object();

    private volatile int state;
    private volatile Object waiters;
    /**
     * Until {@code COMPLETE}: the task's body ({@link #body()}), if its subclass keeps it here.
     * After: the value, a {@link Failure} or {@link #CANCELLED_OUTCOME}, written before
     * {@code COMPLETE} is set and read only after it is seen. One field for both (tokio's task
     * {@code Stage}), because a task never needs its body and its outcome at once: a task is one
     * word smaller, which for a million idle tasks is 8 MB.
     */
    private Object outcome;

    protected Completion(int initialState) {
        STATE.set(this, initialState);
    }

    /** A completion whose task keeps {@code body} until it completes; see {@link #body()}. */
    protected Completion(int initialState, Object body) {
        this.outcome = body;
        STATE.set(this, initialState);
    }

    /**
     * The body given to the constructor. Only for the thread that holds {@code RUNNING} (or the
     * task's owner before its first poll), and only until it completes the task: completing
     * overwrites it with the outcome. A diagnostic read from another thread must check
     * {@link #isFinished()} after the read, and even then may see the outcome's type.
     */
    protected final Object body() {
        return outcome;
    }

    private record Failure(Throwable cause) {}

    private record WaiterNode(Waker waker, Object next) {}

    // ---- state word accessors: lv = volatile load, cas = compare-and-set ----

    protected final int lvState() {
        return state;
    }

    protected final boolean casState(int expect, int update) {
        return STATE.compareAndSet(this, expect, update);
    }

    /** Clears {@code NOTIFIED}, leaving the other bits as they are. */
    protected final void clearNotified() {
        STATE.getAndBitwiseAnd(this, ~NOTIFIED);
    }

    // ---- completion ----

    /** Publishes a value; called once by the thread that holds RUNNING. */
    protected final void completeWithValue(T value) {
        finish(value, 0);
    }

    /** Publishes a failure; called once by the thread that holds RUNNING. */
    protected final void completeWithFailure(Throwable cause) {
        finish(new Failure(cause), 0);
    }

    /** Publishes cancellation; called once by the thread that holds RUNNING (or never ran it). */
    protected final void completeCancelled() {
        finish(CANCELLED_OUTCOME, CANCELLED);
    }

    private void finish(Object result, int extraBits) {
        outcome = result;
        int s;
        do {
            s = state;
        } while (!STATE.compareAndSet(this, s, (s & ~(RUNNING | NOTIFIED)) | COMPLETE | extraBits));
        onComplete();
        if (waiters == null) {
            return; // nobody joined yet; a joiner from now on sees COMPLETE (see the class documentation)
        }
        Object w = WAITERS.getAndSet(this, DONE);
        while (w != null) {
            if (w instanceof WaiterNode n) {
                n.waker.wake();
                w = n.next;
            } else {
                ((Waker) w).wake();
                w = null;
            }
        }
    }

    /** Hook for subclasses (unregistering from the live-task registry, releasing the body). */
    protected void onComplete() {
    }

    @Override
    public final boolean isFinished() {
        return (state & COMPLETE) != 0;
    }

    @Override
    public final boolean isCancelled() {
        return (state & COMPLETE) != 0 && outcome == CANCELLED_OUTCOME;
    }

    /** Whether cancellation was requested (the task may still be unwinding). */
    protected final boolean isCancelRequested() {
        return (state & CANCELLED) != 0;
    }

    // ---- joining ----

    @Override
    public final Poll<T> poll(Context cx) {
        if (isFinished()) {
            return Poll.ready(outcome());
        }
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        if (!addWaiter(cx.waker()) || isFinished()) {
            return Poll.ready(outcome());
        }
        return Poll.pending();
    }

    /**
     * Has {@code waker} woken when the task completes, without joining it (no budget, no
     * outcome thrown). Returns false if it has completed already (the waker may then still be
     * woken once, spuriously).
     */
    public final boolean wakeOnCompletion(Waker waker) {
        return addWaiter(waker) && !isFinished();
    }

    /**
     * Returns false if the task has completed with joiners (the waker was not added). A caller
     * that gets true must read the state again: the task may have completed without seeing this
     * waker (see the class documentation).
     */
    private boolean addWaiter(Waker waker) {
        for (;;) {
            Object cur = waiters;
            if (cur == DONE) {
                return false;
            }
            if (alreadyWaiting(cur, waker)) {
                return true;
            }
            Object next = cur == null ? waker : new WaiterNode(waker, cur);
            if (WAITERS.compareAndSet(this, cur, next)) {
                return true;
            }
        }
    }

    /** Bounded look for the same waker, so repeated polls by one joiner do not grow the stack. */
    private static boolean alreadyWaiting(Object cur, Waker waker) {
        for (int i = 0; i < 8 && cur != null; i++) {
            if (cur == waker) {
                return true;
            }
            if (!(cur instanceof WaiterNode n)) {
                return false;
            }
            if (n.waker == waker) {
                return true;
            }
            cur = n.next;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private T outcome() {
        Object o = outcome;
        if (o == CANCELLED_OUTCOME) {
            throw new CancelledException("task was cancelled");
        }
        if (o instanceof Failure f) {
            throw new TaskFailedException(f.cause);
        }
        return (T) o;
    }

    @Override
    public final T join() {
        Thread caller = Await.checkMayBlock("join()");
        // a finished task answers at once: no waker, no context (W2 joins tasks that mostly are)
        return isFinished() ? outcome() : Await.blockOn(this, caller);
    }

    @Override
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Waker completer = () -> {
            if (outcome == CANCELLED_OUTCOME) {
                cf.cancel(false);
            } else if (outcome instanceof Failure f) {
                cf.completeExceptionally(f.cause);
            } else {
                @SuppressWarnings("unchecked")
                T value = (T) outcome;
                cf.complete(value);
            }
        };
        if (!addWaiter(completer) || isFinished()) {
            completer.wake(); // perhaps a second time: completing a CompletableFuture twice is harmless
        }
        return cf;
    }

    @Override
    public void cancel() {
        // Abandoning a join does not abort the task: see JoinHandle.
    }

    @Override
    public String toString() {
        int s = state;
        String what = (s & COMPLETE) != 0
                ? (outcome == CANCELLED_OUTCOME ? "cancelled" : outcome instanceof Failure ? "failed" : "completed")
                : (s & RUNNING) != 0 ? "running" : (s & NOTIFIED) != 0 ? "scheduled" : "idle";
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this)) + "[" + what + "]";
    }
}
