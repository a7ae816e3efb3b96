package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;

/**
 * The future of one acquire of a {@link Semaphore}, and its node in the waiter queue: one
 * object per acquire. Subclasses say what a completed acquire yields ({@link #acquired()}: a
 * permit, a lock guard).
 *
 * <h2>Life cycle</h2>
 * {@code NEW} → (first poll takes all permits at once) → {@code DONE}; or {@code NEW} → (queues
 * with {@link #needed} permits outstanding) → {@code WAITING} → (a releaser assigns the last
 * permit and unlinks it, or {@code close} unlinks it) → {@code DONE}. {@link #cancel()} from
 * {@code WAITING} unlinks the node if it is still queued and returns every permit assigned to it.
 * {@link #phase} is touched only by the task that owns the future (poll and cancel are never
 * concurrent); {@link #needed} and {@link #closed} are written under the semaphore's lock.
 */
abstract class SemaphoreWaiter<R> extends WaiterNode implements Future<R> {
    private static final int NEW = 0;
    private static final int WAITING = 1;
    private static final int DONE = 2;

    final Semaphore semaphore;
    final int permits;
    /** Permits still missing; 0 once granted. Written under the lock, read without it. */
    volatile int needed;
    /** Set, under the lock, when {@code close} unlinked this waiter. */
    volatile boolean closed;
    private int phase = NEW;

    SemaphoreWaiter(Semaphore semaphore, int permits) {
        this.semaphore = semaphore;
        this.permits = permits;
    }

    /** The value of a completed acquire; called once, by the polling task. */
    abstract R acquired();

    @Override
    public final Poll<R> poll(Context cx) {
        if (phase == NEW) {
            return pollFirst(cx);
        }
        if (phase == WAITING) {
            return pollWaiting(cx);
        }
        throw new IllegalStateException("semaphore acquire polled after it completed or was cancelled");
    }

    private Poll<R> pollFirst(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        if (semaphore.tryTake(permits)) {
            phase = DONE;
            return Poll.ready(acquired());
        }
        WaiterQueue q = semaphore.waiters;
        synchronized (q) {
            int took = semaphore.takeUpTo(q, permits);
            if (took == permits) {
                phase = DONE;
                return Poll.ready(acquired());
            }
            needed = permits - took;
            waker = cx.waker();
            q.addLast(this);
        }
        phase = WAITING;
        return Poll.pending();
    }

    private Poll<R> pollWaiting(Context cx) {
        if (needed == 0) {
            return complete(cx);
        }
        if (closed) {
            phase = DONE;
            throw new SemaphoreClosedException();
        }
        Waker w = cx.waker();
        if (w != waker) {
            // A new waker (the task moved, or a select re-polls us with its own): swap it in
            // under the lock, unless the grant (or close) raced in, which the re-check sees.
            synchronized (semaphore.waiters) {
                if (needed != 0 && !closed) {
                    waker = w;
                    return Poll.pending();
                }
            }
            return closed ? pollWaiting(cx) : complete(cx);
        }
        return Poll.pending();
    }

    private Poll<R> complete(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        phase = DONE;
        return Poll.ready(acquired());
    }

    @Override
    public final void cancel() {
        if (phase != WAITING) {
            phase = DONE;
            return;
        }
        phase = DONE;
        WakeList wake = new WakeList();
        WaiterQueue q = semaphore.waiters;
        synchronized (q) {
            int giveBack;
            if (q.remove(this)) {
                giveBack = permits - needed;
            } else if (closed) {
                giveBack = 0; // close already took back what was assigned
            } else {
                giveBack = permits; // granted, but the grant was never observed
            }
            if (giveBack > 0) {
                semaphore.releaseLocked(q, giveBack, wake);
            }
        }
        wake.wakeAll();
    }
}
