package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;

/**
 * A send on a bounded {@link Mpsc} channel that could not complete at once: the future returned by
 * {@link Mpsc.Sender#send} when the channel was full, and also the node that queues the sender
 * for capacity (so waiting allocates nothing more).
 *
 * <p>States: {@code INIT} (not yet polled) → {@code WAITING} (queued) → {@code GRANTED} (the
 * receiver handed it a unit of capacity) → {@code DONE}; or → {@code CLOSED} (the channel closed
 * while it waited) or {@code CANCELLED}. {@code WAITING} → {@code GRANTED}/{@code CLOSED} and
 * the unlinking happen under the channel's waiter lock; the owner re-polls without the lock,
 * storing a changed waker and then re-reading the state (the granter writes the state and then
 * reads the waker, so one of them sees the other's write).
 */
final class MpscSend<T> implements Future<Void> {
    static final int INIT = 0;
    static final int WAITING = 1;
    static final int GRANTED = 2;
    static final int DONE = 3;
    static final int CLOSED = 4;
    static final int CANCELLED = 5;

    private final MpscChan<T> chan;
    private T message;
    volatile int state;
    volatile Waker waker;
    /** Links of {@link MpscSendWaiters}; touched only under its lock. */
    MpscSend<?> prev;
    MpscSend<?> next;

    MpscSend(MpscChan<T> chan, T message) {
        this.chan = chan;
        this.message = message;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        int st = state;
        if (st == INIT) {
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            int r = chan.acquireOrQueue(this, cx.waker());
            if (r == MpscChan.ACQUIRED) {
                return complete(false);
            }
            if (r == MpscChan.IS_CLOSED) {
                throw closed();
            }
            return Poll.pending();
        }
        if (st == WAITING) {
            Waker w = cx.waker();
            if (waker != w) {
                waker = w;
            }
            st = state;
            if (st == WAITING) {
                return Poll.pending();
            }
        }
        if (st == GRANTED) {
            if (!Coop.proceed(cx)) {
                return Poll.pending(); // keeps the unit; the re-poll writes
            }
            return complete(true);
        }
        if (st == CLOSED) {
            throw closed();
        }
        throw new IllegalStateException("send future polled after it completed or was cancelled");
    }

    private Poll<Void> complete(boolean wasGranted) {
        T m = message;
        message = null;
        state = DONE;
        chan.deliver(m);
        if (wasGranted) {
            chan.grantSettled(); // after the write, so tryRecv's spin always ends with the message
        }
        return Poll.ready(null);
    }

    private ChannelClosedException closed() {
        T m = message;
        message = null;
        state = DONE;
        return new ChannelClosedException("send on a closed channel: the receiver is closed", m);
    }

    /**
     * Withdraws the send: a queued sender leaves the queue at once; a unit already granted goes
     * back (to the next waiter, or the counter). The message is not sent.
     */
    @Override
    public void cancel() {
        int st = state;
        if (st == WAITING) {
            if (chan.dequeue(this)) {
                state = CANCELLED;
                chan.grantSettled();
                chan.releaseUnit();
            }
        } else if (st == GRANTED) {
            state = CANCELLED;
            chan.grantSettled();
            chan.releaseUnit();
        } else if (st == INIT) {
            state = CANCELLED;
        }
        message = null;
    }
}
