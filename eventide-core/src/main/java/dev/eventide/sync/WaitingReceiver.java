package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;

/**
 * The waiting half of a {@link Broadcast} or a {@link Watch} receiver, written once: the one
 * future the receiver hands out on every call, its poll (budget, take under the channel's lock or
 * register the waker and queue on the {@link ReceiverWaitList}), its cancel (unlink at once) and
 * the receiver's close (counted out of its {@link ReceiverGroup}). The two channels differ only in
 * what a wait takes and when it is over, which they say through {@link #takeLocked()} and
 * {@link #endedLocked()}.
 *
 * <p>The receiver is its own wait-list node and the future is made once with the receiver, so a
 * poll allocates nothing. {@link #closed} and the node's fields are guarded by the channel's lock.
 *
 * @param <R> what the wait completes with
 */
abstract class WaitingReceiver<R> extends ReceiverWaitList.Node {
    private final ReceiverGroup group;
    // the group's lock and waiters, held directly: the poll reaches them without a hop
    private final ChannelLock lock;
    private final ReceiverWaitList waiters;
    private final String usedAfterClose;
    /** The receiver's one wait future; cancelling it unlinks the receiver from the waiters. */
    final Future<R> future;
    boolean closed; // guarded by lock

    /**
     * @param group the channel's receivers, whose lock guards this receiver too; the caller has
     *     counted this receiver in
     * @param kind names the receiver in the error a poll after close throws
     */
    WaitingReceiver(ReceiverGroup group, String kind) {
        this.group = group;
        this.lock = group.lock;
        this.waiters = group.waiters;
        this.usedAfterClose = kind + " used after close";
        this.future = new Future<>() {
            @Override
            public Poll<R> poll(Context cx) {
                return pollWait(cx);
            }

            @Override
            public void cancel() {
                lock.lock();
                try {
                    waiters.unlink(WaitingReceiver.this);
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /**
     * Under the lock: what the wait completes with now, which counts as progress (one unit of
     * coop budget) and leaves this receiver unlinked; null if there is nothing yet.
     */
    abstract R takeLocked();

    /**
     * Under the lock, after {@link #takeLocked()} found nothing: whether nothing will ever come,
     * so the wait completes with null (without spending budget).
     */
    abstract boolean endedLocked();

    /** Under the lock, from {@link #takeLocked()} when it completes the wait: leaves the waiters. */
    final void unlinkLocked() {
        waiters.unlink(this);
    }

    /** Closes this receiver once: the channel counts it out and it leaves the waiters. */
    final void closeOnce() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                group.removeLocked();
                waiters.unlink(this);
            }
        } finally {
            lock.unlock();
        }
    }

    private Poll<R> pollWait(Context cx) {
        if (!Coop.hasBudget(cx)) {
            Coop.proceed(cx); // wakes the task: it yields and comes back with a fresh budget
            return Poll.pending();
        }
        R v;
        boolean end = false;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(usedAfterClose);
            }
            v = takeLocked();
            if (v == null) {
                if (endedLocked()) {
                    end = true;
                } else {
                    Waker w = cx.waker();
                    if (waker != w) {
                        waker = w;
                    }
                    if (!queued) {
                        waiters.enqueue(this);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (v != null) {
            Coop.proceed(cx);
            return Poll.ready(v);
        }
        return end ? Poll.ready(null) : Poll.pending();
    }
}
