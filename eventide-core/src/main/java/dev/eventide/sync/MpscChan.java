package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The shared core of an {@link Mpsc} channel: the buffer, the capacity counter, the receiver's
 * waker and the queue of senders waiting for capacity.
 *
 * <h2>The state word</h2>
 * {@code state} packs {@code inFlight << 2 | CLOSED | WAITERS}:
 * <ul>
 *   <li>{@code inFlight}: units of capacity held, one per message that a sender has been allowed
 *       to put in the buffer and the receiver has not yet taken. A sender takes a unit before it
 *       writes; the receiver returns one after it takes a message. On a bounded channel it never
 *       exceeds the capacity; on an unbounded one the limit is out of reach.</li>
 *   <li>{@code CLOSED}: set once, by the receiver's {@code close()} or by the close of the last
 *       sender. No unit is handed out afterwards, so once {@code inFlight} reaches zero nothing can
 *       arrive any more: <em>closed with nothing in flight</em> is the end of the stream. Checking
 *       both in one word is what makes the end exact, without racing a sender that has taken a
 *       unit but not yet written.</li>
 *   <li>{@code WAITERS}: senders are queued for capacity (only possible when the channel is
 *       full). Set and cleared only under the waiter lock. While it is set, a returned unit is not
 *       added back to the counter but handed to the oldest waiter, so waiting senders are served
 *       in order and a newcomer cannot overtake them.</li>
 * </ul>
 * Every transition is one CAS on this word, so sends, receives and closing have a single order.
 *
 * <h2>Waking the receiver</h2>
 * The receiver, finding nothing, stores its waker (only if it changed) and sets {@code rxParked}
 * with a volatile write, then looks again. A sender writes its message with a volatile store and
 * then reads {@code rxParked}; only if it is set does it clear it (getAndSet, so one sender
 * wakes) and wake the receiver. Either the receiver's second look sees the message, or the
 * sender sees the flag: no wake-up is lost, and a busy receiver costs the senders one read per
 * message instead of a CAS.
 *
 * <h2>Locks</h2>
 * Only the slow paths take the waiter lock (queueing a sender on a full channel, handing capacity
 * to a queued sender, unlinking a cancelled one, closing), and no waker is called under it.
 */
final class MpscChan<T> {
    static final long WAITERS = 1L;
    static final long CLOSED = 2L;
    static final long ONE = 4L;
    /** The capacity of an unbounded channel: far beyond what a heap can hold. */
    static final long UNBOUNDED = Long.MAX_VALUE >>> 3;

    /** Results of {@link #tryAcquire} and {@link #acquireOrQueue}. */
    static final int ACQUIRED = 0;
    static final int FULL = 1;
    static final int IS_CLOSED = 2;
    static final int QUEUED = 3;

    private static final VarHandle STATE;
    private static final VarHandle RX_PARKED;
    private static final VarHandle SENDERS;
    private static final VarHandle GRANTED;

    final long capacity;
    final MpscBuffer<T> buffer;
    /** Null on an unbounded channel, which never queues senders. */
    final MpscSendWaiters waiters;
    /** Open sender handles; the channel closes when it drops to zero. */
    private volatile int senders = 1;
    /**
     * Units handed to queued senders that have not yet written (or given them back). Touched only
     * on the slow paths; {@link #tryRecv} uses it to tell a unit held by a sender that is writing
     * right now (worth a brief spin) from one held by a sender that may not run for a while.
     */
    private volatile int granted;
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long state;
    @SuppressWarnings("unused")
    private long q01, q02, q03, q04, q05, q06, q07;
    private volatile boolean rxParked;
    /** The receiver's waker; written by the receiver only while it is not known to be parked. */
    private volatile Waker rxWaker;

    MpscChan(long capacity) {
        this.capacity = capacity;
        if (capacity == UNBOUNDED) {
            this.buffer = new MpscChunkedBuffer<>();
            this.waiters = null;
        } else {
            this.buffer = new MpscArrayBuffer<>((int) capacity);
            this.waiters = new MpscSendWaiters();
        }
    }

    static long inFlight(long s) {
        return s >>> 2;
    }

    // ---- senders ------------------------------------------------------------------------------

    /** Takes a unit of capacity if there is one: {@link #ACQUIRED}, {@link #FULL} or {@link #IS_CLOSED}. */
    int tryAcquire() {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0) {
                return IS_CLOSED;
            }
            if (inFlight(s) >= capacity) {
                return FULL; // WAITERS implies full, so a free unit never overtakes a waiter
            }
            if (STATE.compareAndSet(this, s, s + ONE)) {
                return ACQUIRED;
            }
        }
    }

    /**
     * Takes a unit, or queues {@code node} to be handed one: {@link #ACQUIRED}, {@link #IS_CLOSED}
     * or {@link #QUEUED} (then {@code node} is woken through {@code waker} once it is
     * {@code GRANTED} or {@code CLOSED}).
     */
    int acquireOrQueue(MpscSend<T> node, Waker waker) {
        int r = tryAcquire();
        if (r != FULL) {
            return r;
        }
        MpscSendWaiters q = waiters;
        q.lock();
        try {
            for (;;) {
                long s = state;
                if ((s & CLOSED) != 0) {
                    return IS_CLOSED;
                }
                if (inFlight(s) < capacity) {
                    if (STATE.compareAndSet(this, s, s + ONE)) {
                        return ACQUIRED;
                    }
                } else if (STATE.compareAndSet(this, s, s | WAITERS)) {
                    node.waker = waker;
                    node.state = MpscSend.WAITING;
                    q.addLast(node);
                    return QUEUED;
                }
            }
        } finally {
            q.unlock();
        }
    }

    /** Puts a message for which the caller holds a unit into the buffer, and wakes the receiver. */
    void deliver(T message) {
        buffer.offer(message);
        wakeReceiver();
    }

    /**
     * Withdraws a queued sender (its send was cancelled). Returns true if it had already been
     * granted a unit, which the caller must then {@linkplain #releaseUnit return}.
     */
    boolean dequeue(MpscSend<T> node) {
        MpscSendWaiters q = waiters;
        q.lock();
        try {
            if (node.state != MpscSend.WAITING) {
                return node.state == MpscSend.GRANTED;
            }
            q.unlink(node);
            node.state = MpscSend.CANCELLED;
            if (q.isEmpty()) {
                clearWaitersLocked();
            }
            return false;
        } finally {
            q.unlock();
        }
    }

    /** Returns a unit that a cancelled sender held without writing. */
    void releaseUnit() {
        release();
        if ((state & CLOSED) != 0) {
            wakeReceiver(); // it may be waiting for the last unit to come back
        }
    }

    /** Registers one more sender handle; the caller holds an open one. */
    void addSender() {
        SENDERS.getAndAdd(this, 1);
    }

    /** A sender handle was closed; the last one closes the channel. */
    void dropSender() {
        if ((int) SENDERS.getAndAdd(this, -1) == 1) {
            close();
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** Closes the channel: no unit is handed out any more; queued senders fail. Idempotent. */
    void close() {
        List<Waker> toWake = null;
        if (waiters == null) {
            setClosed();
        } else {
            waiters.lock();
            try {
                setClosed();
                for (MpscSend<?> n = waiters.pollFirst(); n != null; n = waiters.pollFirst()) {
                    n.state = MpscSend.CLOSED;
                    if (toWake == null) {
                        toWake = new ArrayList<>();
                    }
                    toWake.add(n.waker);
                }
                clearWaitersLocked();
            } finally {
                waiters.unlock();
            }
        }
        if (toWake != null) {
            toWake.forEach(Waker::wake);
        }
        wakeReceiver();
    }

    private void setClosed() {
        for (;;) {
            long s = state;
            if ((s & CLOSED) != 0 || STATE.compareAndSet(this, s, s | CLOSED)) {
                return;
            }
        }
    }

    /** Called under the waiter lock once the queue is empty. */
    private void clearWaitersLocked() {
        for (;;) {
            long s = state;
            if ((s & WAITERS) == 0 || STATE.compareAndSet(this, s, s & ~WAITERS)) {
                return;
            }
        }
    }

    // ---- the receiver -------------------------------------------------------------------------

    /** One receive: the next message, null at the end of the stream, or pending. Consumer only. */
    Poll<T> pollRecv(Context cx) {
        if (!buffer.peek() && !park(cx)) {
            return isDrained() ? endOfStream() : Poll.pending();
        }
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        return Poll.ready(takeOne());
    }

    /** Moves up to {@code limit} waiting messages into {@code into}: their number, 0 at the end. */
    Poll<Integer> pollRecvMany(Context cx, Collection<? super T> into, int limit) {
        if (!buffer.peek() && !park(cx)) {
            return isDrained() ? Poll.ready(0) : Poll.pending();
        }
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        int n = 0;
        do {
            into.add(takeOne());
            n++;
        } while (n < limit && buffer.peek());
        return Poll.ready(n);
    }

    /**
     * The next message if one is there, else null; never parks. Consumer only.
     *
     * <p>A sender that took a unit of capacity writes its message within a few instructions
     * (there is no suspension point in between), so when the head is empty while such a unit is
     * out, this spins until the write lands. That makes {@code tryRecv} agree with what
     * {@code trySend} and {@code isDrained} have already revealed (a message counted in flight is
     * seen), as tokio's {@code try_recv} does. Units granted to queued senders are excluded: those
     * senders write when next polled, which may be much later.
     */
    T tryRecv() {
        int spins = 0;
        while (!buffer.peekVolatile()) {
            int g = granted;
            if (inFlight(state) - g <= 0) {
                return null;
            }
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return takeOne();
    }

    /** A queued sender that was granted a unit has written its message or given the unit back. */
    void grantSettled() {
        GRANTED.getAndAdd(this, -1);
    }

    /** Closed, and every message sent has been taken: receiving returns the end at once. */
    boolean isDrained() {
        long s = state;
        return (s & CLOSED) != 0 && inFlight(s) == 0;
    }

    /**
     * Publishes the receiver's waker and looks at the buffer again; true if a message arrived
     * meanwhile (then the flag is cleared again), false if the receiver is now parked.
     */
    private boolean park(Context cx) {
        Waker w = cx.waker();
        if (rxWaker != w) {
            rxWaker = w;
        }
        RX_PARKED.setVolatile(this, true);
        if (buffer.peekVolatile()) {
            unpark();
            return true;
        }
        return false;
    }

    private Poll<T> endOfStream() {
        unpark();
        return Poll.ready(null);
    }

    /** Withdraws the receiver's interest (a cancelled receive, or one that found a message). */
    void unpark() {
        if (rxParked) {
            RX_PARKED.setOpaque(this, false);
        }
    }

    private T takeOne() {
        T message = buffer.take();
        if (waiters == null) {
            STATE.getAndAdd(this, -ONE); // never any waiters to hand the unit to
        } else {
            release();
        }
        return message;
    }

    /** Returns one unit of capacity: to the oldest queued sender if there is one, else to the counter. */
    private void release() {
        for (;;) {
            long s = state;
            if ((s & WAITERS) != 0) {
                handOff();
                return;
            }
            if (STATE.compareAndSet(this, s, s - ONE)) {
                return;
            }
        }
    }

    private void handOff() {
        MpscSendWaiters q = waiters;
        Waker w = null;
        q.lock();
        try {
            MpscSend<?> node = q.pollFirst();
            if (node == null) {
                // the queue emptied (closed) between our look and the lock: plain release
                for (;;) {
                    long s = state;
                    if (STATE.compareAndSet(this, s, s - ONE)) {
                        break;
                    }
                }
            } else {
                // the unit moves to the waiter: inFlight is unchanged
                GRANTED.getAndAdd(this, 1);
                node.state = MpscSend.GRANTED;
                w = node.waker;
                if (q.isEmpty()) {
                    clearWaitersLocked();
                }
            }
        } finally {
            q.unlock();
        }
        if (w != null) {
            w.wake();
        }
    }

    /** Called by senders after writing: wakes the receiver if it is parked. */
    private void wakeReceiver() {
        if (rxParked && (boolean) RX_PARKED.getAndSet(this, false)) {
            rxWaker.wake();
        }
    }

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(MpscChan.class, "state", long.class);
            RX_PARKED = l.findVarHandle(MpscChan.class, "rxParked", boolean.class);
            SENDERS = l.findVarHandle(MpscChan.class, "senders", int.class);
            GRANTED = l.findVarHandle(MpscChan.class, "granted", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
