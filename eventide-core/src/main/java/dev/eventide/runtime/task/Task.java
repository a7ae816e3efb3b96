package dev.eventide.runtime.task;

import dev.eventide.Context;
import dev.eventide.Waker;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.Scheduler;

/**
 * A future owned by the runtime: one object that is at once the task, its waker, its poll
 * context and its join handle, so spawning allocates one task (plus the body) and waking
 * allocates nothing.
 *
 * <h2>Scheduling protocol</h2>
 * The state word (see {@link Completion}) has two scheduling bits:
 * <ul>
 *   <li>{@code NOTIFIED}: the task must be polled again. Whoever sets it on an idle task
 *       (neither running nor already notified) queues the task, exactly once;</li>
 *   <li>{@code RUNNING}: one thread is polling it. {@link #run} takes it (clearing
 *       {@code NOTIFIED}) with a CAS, so a task is never polled by two threads at once.</li>
 * </ul>
 * A wake that arrives while the task is running only sets {@code NOTIFIED}; when the poll ends,
 * {@link #transitionToIdle} sees it and re-queues the task at the back of the queue (this is
 * also how a task yields). A wake that arrives after {@code COMPLETE} is ignored, so a task is
 * never polled after completion, and since a notified task is always queued, never lost.
 *
 * <p>{@link #abort()} sets {@code CANCELLED} and notifies the task; the next poll runs
 * {@link #step}, which sees the request and unwinds the body instead of polling it.
 *
 * <h2>Yielding without atomics</h2>
 * A task that yields ({@code yieldNow}, or a spent coop budget) would otherwise pay three CAS
 * on its own state word per yield: clearing {@code RUNNING} after the poll, setting
 * {@code NOTIFIED} when the deferred wake comes, taking {@code RUNNING} again for the next
 * poll. Instead, a task that yields <em>itself</em> says so ({@link #yieldSelf}), and the poll
 * ends with the task still holding {@code RUNNING}: it is {@linkplain #isHeld() held}, handed
 * to the scheduler's list of yielded tasks and later queued as it is; the next poll keeps the
 * bit. A wake or abort meanwhile sees
 * {@code RUNNING} and only sets its bits, exactly as during a poll, so nothing is lost; the
 * next poll clears {@code NOTIFIED} (the one CAS left, and only if someone woke it).
 *
 * <p>A new task starts held too: its spawn queues it exactly once, so it holds {@code RUNNING}
 * from its creation to its first poll, which takes no CAS. Most tasks complete in their first
 * poll (workloads W1, W2, W6): they pay one CAS on their state word in all, the completion's.
 * The one thread besides a poller that completes a task, the close cancelling a task spawned
 * from outside that still waits in a queue ({@link #cancelUnscheduled}), may complete a held
 * task; the poll that later takes it from the queue finds it complete and leaves it.
 */
public abstract class Task<T> extends Completion<T> implements Waker, Context {
    /** The scheduler this task belongs to, which its wakes go to. */
    public final Scheduler scheduler;
    /** Queue link, for the intrusive global and per-worker inbox queues. */
    public Task<?> next;
    /** Registry link; see {@link TaskRegistry}. */
    Task<?> nextLive;
    /**
     * The worker a thread-per-core runtime keeps this task on; -1 until assigned. A
     * {@code short} (the builder allows at most {@code Short.MAX_VALUE} workers) so that, with
     * {@link #budget} and {@link #held}, it fits where one int and two bytes did not: a future's
     * task is 48 bytes.
     */
    public short owner = -1;
    /** Values of {@code TaskLocal}s, indexed by the local's slot; null until one is set. */
    public Object[] locals;
    /**
     * What is left of the current poll's coop budget; touched only by the polling thread. A
     * {@code short} (the budget is 128), so that it and {@link #held} fit where one int did.
     */
    private short budget;
    /**
     * The task is new or yielded, and holds {@code RUNNING} while it waits to be polled (see the
     * class documentation). Written before the task is queued and read by the thread that takes
     * it from the queue, so the queue's publication orders it.
     */
    private boolean held = true;
    /** The running poll asked to yield ({@link #yieldSelf}); touched only by the polling thread. */
    private boolean yieldRequested;

    /** A task whose body (see {@link #body()}) is {@code body}. */
    protected Task(Scheduler scheduler, Object body) {
        super(RUNNING, body); // held: about to be queued for its first poll
        this.scheduler = scheduler;
    }

    @Override
    public final Waker waker() {
        return this;
    }

    @Override
    public final void wake() {
        for (;;) {
            int s = lvState();
            if ((s & (COMPLETE | NOTIFIED)) != 0) {
                return;
            }
            if (casState(s, s | NOTIFIED)) {
                if ((s & RUNNING) == 0) {
                    scheduler.schedule(this);
                }
                return;
            }
        }
    }

    @Override
    public final void abort() {
        for (;;) {
            int s = lvState();
            if ((s & (COMPLETE | CANCELLED)) != 0) {
                return;
            }
            if (casState(s, s | CANCELLED | NOTIFIED)) {
                if ((s & (RUNNING | NOTIFIED)) == 0) {
                    scheduler.schedule(this);
                }
                return;
            }
        }
    }

    /**
     * Completes a task that was never queued as cancelled (spawned onto a runtime that is
     * shutting down).
     */
    public final void cancelUnscheduled() {
        abort();
        if (!isFinished()) {
            completeCancelled();
        }
    }

    /** Spends one unit of this poll's coop budget; false if none is left. */
    public final boolean consumeBudget() {
        if (budget > 0) {
            budget--;
            return true;
        }
        return false;
    }

    public final boolean hasBudget() {
        return budget > 0;
    }

    /**
     * Yields: the poll in progress, which must be this task's own (a future polled with this
     * task as its context, as {@code yieldNow} and a spent coop budget are), is to end with the
     * task queued behind the ready work (tokio's {@code defer}; see the class documentation). The
     * caller returns pending. Needs no lookup of the current thread: the poll's end hands the task
     * to the scheduler of the thread that polls it.
     */
    public final void yieldSelf() {
        yieldRequested = true;
    }

    /**
     * Polls the task once. Called only by a scheduler, on the thread that took the task from a
     * queue (never from a continuation's stack).
     */
    public final void run(ExecContext cx) {
        if (held) {
            held = false; // RUNNING is ours already; clear a wake that came while queued
            int s = lvState();
            if ((s & COMPLETE) != 0) {
                return; // cancelled, never polled, by the close while it waited in a queue
            }
            if ((s & NOTIFIED) != 0) {
                clearNotified();
            }
        } else {
            int s;
            do {
                s = lvState();
                if ((s & (COMPLETE | RUNNING)) != 0) {
                    return; // defensive: the queueing protocol never hands out such a task
                }
            } while (!casState(s, (s & ~NOTIFIED) | RUNNING));
        }
        boolean first = TaskRegistry.isUnregistered(this);
        if (first && !scheduler.taskStarting(this, cx)) {
            abort(); // the runtime closed before this task ever ran: it never will (step cancels it)
        }
        cx.current = this;
        budget = dev.eventide.runtime.Coop.BUDGET;
        boolean done;
        boolean yielded;
        try {
            done = step(cx);
        } catch (Throwable failure) {
            done = true;
            completeWithFailure(failure); // cancellation is only ever delivered by step itself
        } finally {
            cx.current = null;
            yielded = yieldRequested;
            yieldRequested = false;
        }
        if (!done) {
            if (first) {
                scheduler.registerStarted(this, cx); // before it can be woken onto another thread
            }
            if (yielded) {
                held = true;
                if (scheduler.deferHeld(this)) {
                    return;
                }
                held = false; // the thread lost its core meanwhile (blockInPlace): yield the usual way
                wake();
            }
            transitionToIdle();
        }
    }

    /** Whether this task is new or yielded and waits, queued or deferred, holding {@code RUNNING}. */
    public final boolean isHeld() {
        return held;
    }

    private void transitionToIdle() {
        for (;;) {
            int s = lvState();
            if (casState(s, s & ~RUNNING)) {
                if ((s & NOTIFIED) != 0) {
                    scheduler.scheduleYield(this);
                }
                return;
            }
        }
    }

    /**
     * Advances the body by one poll, or unwinds it if {@link #isCancelRequested()}. Returns true
     * once the task has completed (the body called one of the {@code complete*} methods).
     * May throw: the task then fails with what was thrown (or is cancelled, if requested).
     */
    protected abstract boolean step(ExecContext cx) throws Throwable;

    // ------------------------------------------------------------------ observability

    /** What this task runs, for task dumps and blocked-worker reports: kind, body class, identity. */
    public String describe() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this));
    }

    /** The task's scheduling state in words, read racily (for task dumps). */
    public final String stateName() {
        int s = lvState();
        if ((s & COMPLETE) != 0) {
            return "complete";
        }
        String base = (s & RUNNING) != 0 && !held ? "running"
                : (s & (RUNNING | NOTIFIED)) != 0 ? "scheduled" : "idle";
        return (s & CANCELLED) != 0 ? base + ", cancel requested" : base;
    }

    /**
     * Runs {@code inspection} while holding this task's {@code RUNNING} bit, so that no worker
     * polls (mounts) the task meanwhile, and returns its result; returns null without running it
     * if the task is running, queued or complete. A wake that arrives meanwhile only sets
     * {@code NOTIFIED} (as during a poll) and the task is queued when the inspection ends, so no
     * wake is lost. Used by task dumps to read a suspended block's stack. Any thread.
     */
    public final <R> R inspectIdle(java.util.function.Supplier<R> inspection) {
        int s = lvState();
        if ((s & (RUNNING | NOTIFIED | COMPLETE)) != 0 || !casState(s, s | RUNNING)) {
            return null;
        }
        try {
            return inspection.get();
        } finally {
            for (;;) {
                int t = lvState();
                if (casState(t, t & ~RUNNING)) {
                    if ((t & NOTIFIED) != 0) {
                        scheduler.schedule(this); // woken during the inspection
                    }
                    break;
                }
            }
        }
    }

    /**
     * The stack where this task is suspended, innermost frame first; empty if it has none to
     * show (a poll-based future has no stack between polls). Call only inside
     * {@link #inspectIdle}.
     */
    public StackTraceElement[] suspendedStack() {
        return new StackTraceElement[0];
    }

    @Override
    protected void onComplete() {
        scheduler.taskCompleted(this);
    }
}
