package dev.eventide.sync;

import dev.eventide.Future;
import dev.eventide.Waker;
import dev.eventide.runtime.Await;
import java.util.Objects;

/**
 * A multi-producer, multi-consumer channel where every receiver sees every message: a bounded
 * ring that senders never wait on. A receiver that falls more than the capacity behind loses the
 * oldest messages and is told how many, through a {@link LaggedException}, then continues from
 * the oldest message still held.
 *
 * <pre>{@code
 * var ch = Broadcast.<String>channel(16);
 * var rx2 = ch.tx().subscribe();
 * ch.tx().send("hello");                          // both receivers will see it
 * String a = ch.rx().recv().await(), b = rx2.recv().await();
 * }</pre>
 *
 * <h2>Senders, receivers and the end</h2>
 * {@link Sender#clone()} makes more senders, {@link Sender#subscribe()} more receivers (a new
 * receiver sees messages sent after it subscribed). When every sender is closed, each receiver
 * receives what it has not yet seen and then the end: {@code null} from {@link Receiver#recv()}
 * (messages are never null). {@link Sender#send} fails with {@link ChannelClosedException},
 * handing the message back, when no receiver is open (nobody could ever see it).
 *
 * <h2>Cancellation safety</h2>
 * {@link Receiver#recv()} is cancellation safe: a receive advances the receiver only when it
 * returns a message, so a cancelled one loses nothing, and cancelling unlinks the receiver from
 * the waiters at once. {@link Sender#send} never waits.
 *
 * <h2>Design</h2>
 * The ring (values and the position each slot holds), the tail, the counts and the waiting
 * receivers are guarded by one short lock; a send writes a slot and detaches the waiting
 * receivers' wakers under it, and wakes them after releasing it. Each slot keeps its message
 * until it is overwritten, so up to {@code capacity} messages stay reachable. Capacity is rounded
 * up to a power of two.
 *
 * @param <T> the type of the messages
 */
public final class Broadcast<T> {
    private final ChannelLock lock = new ChannelLock();
    private final Object[] values;
    private final long[] positions;
    private final int mask;
    // guarded by lock
    private long tail;
    private int senders = 1;
    private final ReceiverGroup receivers = new ReceiverGroup(lock);

    private final Sender<T> tx;
    private final Receiver<T> rx;

    private Broadcast(int capacity) {
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        values = new Object[size];
        positions = new long[size];
        java.util.Arrays.fill(positions, -1L);
        mask = size - 1;
        tx = new Sender<>(this);
        rx = new Receiver<>(this, 0);
    }

    /**
     * A channel that holds the last {@code capacity} messages (rounded up to a power of two).
     *
     * @throws IllegalArgumentException if {@code capacity} is not in {@code [1, 2^30]}
     */
    public static <T> Broadcast<T> channel(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity must be in [1, 2^30], was " + capacity);
        }
        return new Broadcast<>(capacity);
    }

    /** The first sender. */
    public Sender<T> tx() {
        return tx;
    }

    /** The first receiver. */
    public Receiver<T> rx() {
        return rx;
    }

    private int send(Sender<T> from, T message) {
        Waker[] toWake;
        int seen;
        lock.lock();
        try {
            if (from.closed) {
                throw new ChannelClosedException("send through a closed broadcast sender", message);
            }
            if (receivers.openLocked() == 0) {
                throw new ChannelClosedException("broadcast send with no receiver open", message);
            }
            int i = (int) tail & mask;
            values[i] = message;
            positions[i] = tail;
            tail++;
            seen = receivers.openLocked();
            toWake = receivers.waiters.detachAll();
        } finally {
            lock.unlock();
        }
        ReceiverWaitList.wakeAll(toWake);
        return seen;
    }

    /**
     * A sending handle; each must be {@linkplain #close() closed}, and the receivers see the end
     * when all are.
     *
     * @param <T> the type of the messages
     */
    public static final class Sender<T> implements AutoCloseable {
        private final Broadcast<T> ch;
        private boolean closed; // guarded by ch.lock

        private Sender(Broadcast<T> ch) {
            this.ch = ch;
        }

        /**
         * Sends {@code message} to every open receiver; never waits (slow receivers lag instead).
         *
         * @return the number of receivers that will see it
         * @throws NullPointerException if {@code message} is null
         * @throws ChannelClosedException (carrying the message) if no receiver is open, or this
         *     handle is closed
         */
        public int send(T message) {
            Objects.requireNonNull(message, "message");
            return ch.send(this, message);
        }

        /**
         * A new receiver that will see the messages sent from now on.
         *
         * @throws IllegalStateException if this handle is closed
         */
        public Receiver<T> subscribe() {
            ch.lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("cannot subscribe through a closed sender");
                }
                ch.receivers.addLocked();
                return new Receiver<>(ch, ch.tail);
            } finally {
                ch.lock.unlock();
            }
        }

        /**
         * Another sending handle, to be closed too.
         *
         * @throws IllegalStateException if this handle is closed
         */
        @Override
        public Sender<T> clone() {
            ch.lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("cannot clone a closed sender");
                }
                ch.senders++;
                return new Sender<>(ch);
            } finally {
                ch.lock.unlock();
            }
        }

        /** The number of open receivers. */
        public int receiverCount() {
            return ch.receivers.count();
        }

        /** Closes this handle; the last close ends the stream for every receiver. Idempotent. */
        @Override
        public void close() {
            Waker[] toWake = null;
            ch.lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (--ch.senders == 0) {
                    toWake = ch.receivers.waiters.detachAll();
                }
            } finally {
                ch.lock.unlock();
            }
            ReceiverWaitList.wakeAll(toWake);
        }
    }

    /**
     * A receiving handle with its own position in the stream. One task receives through it at a
     * time; {@link #recv()} returns the same future object on every call.
     *
     * @param <T> the type of the messages
     */
    public static final class Receiver<T> extends WaitingReceiver<T> implements AutoCloseable {
        private final Broadcast<T> ch;
        private long cursor; // guarded by ch.lock

        private Receiver(Broadcast<T> ch, long start) {
            super(ch.receivers, "broadcast receiver");
            this.ch = ch;
            this.cursor = start;
        }

        /**
         * The next message this receiver has not seen, waiting if there is none; {@code null} at
         * the end (every sender closed and everything received). Fails with
         * {@link LaggedException} if messages were overwritten before this receiver saw them (the
         * next receive continues with the oldest one held). Cancellation safe.
         */
        public Future<T> recv() {
            return future;
        }

        /**
         * The next message if one is waiting, else null (use {@link #recv()} to tell the end).
         *
         * @throws LaggedException as {@link #recv()}
         */
        public T tryRecv() {
            ch.lock.lock();
            try {
                return takeLocked();
            } finally {
                ch.lock.unlock();
            }
        }

        /**
         * {@link #recv()} for threads that belong to no runtime.
         *
         * @throws IllegalStateException if called on a runtime worker thread
         */
        public T blockingRecv() {
            return Await.block(future, "Broadcast.Receiver.blockingRecv");
        }

        /** Unsubscribes: senders stop counting this receiver. Idempotent. */
        @Override
        public void close() {
            closeOnce();
        }

        /** Broadcast's end: every sender closed and nothing left to take. */
        @Override
        boolean endedLocked() {
            return ch.senders == 0;
        }

        /** The next message or null; throws if lagged. Under the lock. */
        @Override
        @SuppressWarnings("unchecked")
        T takeLocked() {
            if (cursor >= ch.tail) {
                return null;
            }
            unlinkLocked();
            int i = (int) cursor & ch.mask;
            if (ch.positions[i] != cursor) {
                long oldest = ch.tail - ch.values.length;
                long missed = oldest - cursor;
                cursor = oldest;
                throw new LaggedException(missed);
            }
            cursor++;
            return (T) ch.values[i];
        }
    }
}
