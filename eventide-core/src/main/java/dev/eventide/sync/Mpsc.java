package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.Await;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Objects;

/**
 * A multi-producer, single-consumer FIFO channel, bounded (a full channel makes {@code send}
 * wait: back-pressure) or unbounded.
 *
 * <pre>{@code
 * var ch = Mpsc.<Integer>bounded(1024);
 * Eventide.spawn(() -> {
 *     try (var tx = ch.tx()) {
 *         for (int p : PORTS) tx.send(p).await();
 *     }
 * });
 * for (Integer p; (p = ch.rx().recv().await()) != null; ) handle(p);   // null: the end
 * }</pre>
 *
 * <h2>Senders and the end of the stream</h2>
 * {@link #tx()} is the first sender; {@link Sender#clone()} makes more. Each handle must be
 * {@linkplain Sender#close() closed} (it is {@link AutoCloseable}); when the last one is closed,
 * the receiver receives what is left in the channel and then the end of the stream: {@code null}
 * from {@link Receiver#recv()}, {@code 0} from {@link Receiver#recvMany}. Messages are never null
 * (sending null throws {@link NullPointerException}), so {@code null} is unambiguous. The receiver
 * may close the channel itself ({@link Receiver#close()}): senders then fail, and it still
 * receives what was sent before, then the end.
 *
 * <h2>Order</h2>
 * Messages of one sender arrive in the order it sent them; messages of different senders are
 * interleaved in the order their sends took capacity. Senders waiting on a full channel get
 * capacity first come, first served, and a new send never overtakes a waiting one.
 *
 * <h2>Closed channels</h2>
 * A send on a closed channel (or through a closed handle) fails with
 * {@link ChannelClosedException}, whose {@link ChannelClosedException#value()} hands the message
 * back. A send that was already granted capacity when the receiver closed still delivers its
 * message, which the receiver can still take.
 *
 * <h2>Cancellation safety</h2>
 * <ul>
 *   <li>{@link Receiver#recv()} and {@link Receiver#recvMany} are cancellation safe: a message is
 *       taken from the channel only when the future returns it, so a receive that loses a
 *       {@code select}, times out or belongs to an aborted task loses no message; cancelling only
 *       withdraws the receiver's waker.</li>
 *   <li>{@link Sender#send} is cancellation safe in the sense that matters: cancelling it before
 *       it completed means the message was <em>not</em> sent (it is dropped with the future), and
 *       the sender's place in the queue and any capacity it had been granted are given back at
 *       once; but the message itself goes with the cancelled future. When the channel has room,
 *       {@code send} delivers at once and the returned future is already complete, so a
 *       cancellation after that point changes nothing.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * The bounded channel is a ring with one slot per message of capacity; the unbounded one a list
 * of 64-slot chunks. A send or receive that does not wait allocates nothing and takes no lock
 * (one CAS on the capacity counter and one atomic add on the tail for a send; one CAS for a
 * receive); see {@link MpscChan} for the protocol.
 *
 * @param <T> the type of the messages
 */
public final class Mpsc<T> {
    private final Sender<T> tx;
    private final Receiver<T> rx;

    private Mpsc(long capacity) {
        MpscChan<T> chan = new MpscChan<>(capacity);
        this.tx = new Sender<>(chan);
        this.rx = new Receiver<>(chan);
    }

    /**
     * A channel that holds at most {@code capacity} messages; {@code send} waits while it is full.
     *
     * @throws IllegalArgumentException if {@code capacity} is not in {@code [1, 2^30]}
     */
    public static <T> Mpsc<T> bounded(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity must be in [1, 2^30], was " + capacity);
        }
        return new Mpsc<>(capacity);
    }

    /** A channel without a bound: {@code send} never waits (the heap is the limit). */
    public static <T> Mpsc<T> unbounded() {
        return new Mpsc<>(MpscChan.UNBOUNDED);
    }

    /** The first sender handle; more come from {@link Sender#clone()}. */
    public Sender<T> tx() {
        return tx;
    }

    /** The receiver (there is exactly one). */
    public Receiver<T> rx() {
        return rx;
    }

    /** A future that is complete: the value of a send that found room; consumes coop budget. */
    private static final Future<Void> SENT = cx -> Coop.proceed(cx) ? Poll.ready(null) : Poll.pending();

    /**
     * A sending handle. Handles may be used by several tasks at once; each handle is closed once
     * (further closes do nothing), and the channel ends for the receiver when every handle is.
     *
     * @param <T> the type of the messages
     */
    public static final class Sender<T> implements AutoCloseable {
        private static final VarHandle CLOSED;

        private final MpscChan<T> chan;
        private volatile boolean closed;

        private Sender(MpscChan<T> chan) {
            this.chan = chan;
        }

        /**
         * Sends {@code message}, waiting while a bounded channel is full. If there is room the
         * message is delivered during this call and the future is already complete (awaiting it
         * then only spends coop budget); otherwise the future queues for capacity when first
         * polled, and delivers when granted. Always await the returned future.
         *
         * <p>The future fails with {@link ChannelClosedException} (carrying the message) if the
         * channel is closed. Cancelling it before completion withdraws the send: see the class
         * documentation.
         *
         * @throws NullPointerException if {@code message} is null
         * @throws ChannelClosedException if this handle has been closed
         */
        public Future<Void> send(T message) {
            Objects.requireNonNull(message, "message");
            ensureOpen(message);
            MpscChan<T> c = chan;
            if (c.tryAcquire() == MpscChan.ACQUIRED) {
                c.deliver(message);
                return SENT;
            }
            return new MpscSend<>(c, message); // full or closed: the poll queues or fails
        }

        /**
         * Sends {@code message} if the channel has room now.
         *
         * @return true if sent, false if the channel is full
         * @throws NullPointerException if {@code message} is null
         * @throws ChannelClosedException (carrying the message) if the channel or this handle is
         *     closed
         */
        public boolean trySend(T message) {
            Objects.requireNonNull(message, "message");
            ensureOpen(message);
            int r = chan.tryAcquire();
            if (r == MpscChan.ACQUIRED) {
                chan.deliver(message);
                return true;
            }
            if (r == MpscChan.IS_CLOSED) {
                throw new ChannelClosedException("send on a closed channel: the receiver is closed", message);
            }
            return false;
        }

        /**
         * Sends {@code message}, blocking the calling thread while the channel is full; for threads
         * that belong to no runtime.
         *
         * @throws NullPointerException if {@code message} is null
         * @throws ChannelClosedException (carrying the message) if the channel or this handle is
         *     closed
         * @throws IllegalStateException if called on a runtime worker thread
         * @throws dev.eventide.CancelledException if the thread is interrupted while waiting (the
         *     message is then not sent)
         */
        public void blockingSend(T message) {
            Objects.requireNonNull(message, "message");
            ensureOpen(message);
            Await.block(send(message), "Mpsc.Sender.blockingSend");
        }

        /**
         * A new handle to the same channel, which must be closed too.
         *
         * @throws IllegalStateException if this handle is closed
         */
        @Override
        public Sender<T> clone() {
            if (closed) {
                throw new IllegalStateException("cannot clone a closed sender");
            }
            chan.addSender();
            return new Sender<>(chan);
        }

        /**
         * Closes this handle; when every handle of the channel is closed the receiver sees the end
         * after the messages already sent. Idempotent.
         */
        @Override
        public void close() {
            if (!closed && CLOSED.compareAndSet(this, false, true)) {
                chan.dropSender();
            }
        }

        /** Whether the channel is closed (by the receiver, or by the close of every sender). */
        public boolean isClosed() {
            return chan.isClosed();
        }

        private void ensureOpen(T message) {
            if (closed) {
                throw new ChannelClosedException("send through a closed sender handle", message);
            }
        }

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Sender.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /**
     * The receiving end. Only one task may receive at a time (single consumer): the future of
     * {@link #recv()} is one object owned by the receiver, so a receiver allocates nothing per
     * message.
     *
     * @param <T> the type of the messages
     */
    public static final class Receiver<T> implements AutoCloseable {
        private final MpscChan<T> chan;
        private final Future<T> recv;

        private Receiver(MpscChan<T> chan) {
            this.chan = chan;
            this.recv = new Future<>() {
                @Override
                public Poll<T> poll(Context cx) {
                    return chan.pollRecv(cx);
                }

                @Override
                public void cancel() {
                    chan.unpark();
                }
            };
        }

        /**
         * Receives the next message, waiting while the channel is empty. The future's value is
         * the message, or {@code null} at the end of the stream (closed, and everything sent has
         * been received). Cancellation safe: a cancelled receive takes no message.
         *
         * <p>Every call returns the same future object (there is one receiver and one receive at
         * a time); await it or cancel it before the next call.
         */
        public Future<T> recv() {
            return recv;
        }

        /**
         * Receives up to {@code limit} messages at once, waiting while the channel is empty: they
         * are added to {@code into} in order, and the future's value is their number, {@code 0}
         * only at the end of the stream. Cancellation safe.
         *
         * @throws NullPointerException if {@code into} is null
         * @throws IllegalArgumentException if {@code limit < 1}
         */
        public Future<Integer> recvMany(Collection<? super T> into, int limit) {
            Objects.requireNonNull(into, "into");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, was " + limit);
            }
            return new Future<>() {
                @Override
                public Poll<Integer> poll(Context cx) {
                    return chan.pollRecvMany(cx, into, limit);
                }

                @Override
                public void cancel() {
                    chan.unpark();
                }
            };
        }

        /**
         * The next message if one is waiting, else {@code null} (whether the channel is merely
         * empty or has ended: {@link #isDrained()} tells them apart). Never waits.
         */
        public T tryRecv() {
            return chan.tryRecv();
        }

        /**
         * {@link #recv()} for threads that belong to no runtime: blocks until a message or the end
         * ({@code null}).
         *
         * @throws IllegalStateException if called on a runtime worker thread
         * @throws dev.eventide.CancelledException if the thread is interrupted while waiting (no
         *     message is lost)
         */
        public T blockingRecv() {
            return Await.block(recv, "Mpsc.Receiver.blockingRecv");
        }

        /**
         * Closes the channel from the receiving side: sends fail from now on, and the receiver
         * can still receive what was sent before, then the end. Idempotent.
         */
        @Override
        public void close() {
            chan.close();
        }

        /** Whether the stream has ended: the channel is closed and every message was received. */
        public boolean isDrained() {
            return chan.isDrained();
        }
    }
}
