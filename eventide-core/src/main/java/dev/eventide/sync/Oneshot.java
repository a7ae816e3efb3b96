package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Await;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A single-use channel carrying one value from one sender to one receiver.
 *
 * <pre>{@code
 * var ch = Oneshot.<String>channel();
 * Eventide.spawn(() -> ch.tx().send(compute()));
 * String v = ch.rx().await();
 * }</pre>
 *
 * <p>The {@linkplain Receiver receiver} is a {@link Future} of the value. If the sender is
 * {@linkplain Sender#close() closed} without sending, the receiver fails with
 * {@link ChannelClosedException}; if the receiver is {@linkplain Receiver#close() closed}, a
 * later send fails with {@link ChannelClosedException} carrying the value back. Values are
 * never null.
 *
 * <h2>Cancellation safety</h2>
 * Awaiting the receiver is cancellation safe: {@link Receiver#cancel()} (a lost {@code select},
 * a timeout, an aborted task) only withdraws the waker; the value, if it comes, stays in the
 * channel and the receiver may be awaited again. Cancelling is not closing: only
 * {@link Receiver#close()} tells the sender nobody listens. {@link Sender#send} never waits.
 *
 * <h2>Protocol</h2>
 * One state word ({@code VALUE_SENT | TX_CLOSED | RX_CLOSED | RX_WAITING}), changed by CAS; no
 * lock. The receiver writes its waker only while {@code RX_WAITING} is clear and then sets the
 * bit; the sender sets {@code VALUE_SENT} (after writing the value) and wakes the waker only if
 * that same CAS saw {@code RX_WAITING}. A receiver re-polled with the same waker changes nothing;
 * with a new one it clears the bit, writes the waker and sets the bit again, each step a CAS
 * that fails (and re-examines the state) if the value arrived meanwhile.
 *
 * <p>The state lives in the receiver, and the sender points to it: a channel whose halves are
 * kept (the {@code Oneshot} itself may be dropped) is two small objects, 40 bytes. A program
 * that parks a million tasks on oneshots holds a million of them.
 *
 * @param <T> the type of the value
 */
public final class Oneshot<T> {
    private static final int VALUE_SENT = 1;
    private static final int TX_CLOSED = 2;
    private static final int RX_CLOSED = 4;
    private static final int RX_WAITING = 8;

    private final Sender<T> tx;

    private Oneshot() {
        tx = new Sender<>(new Receiver<>());
    }

    /** A new channel. */
    public static <T> Oneshot<T> channel() {
        return new Oneshot<>();
    }

    /** The sending half. */
    public Sender<T> tx() {
        return tx;
    }

    /** The receiving half, a future of the value. */
    public Receiver<T> rx() {
        return tx.rx;
    }

    /**
     * The sending half: {@link #send} once, or {@link #close()} to tell the receiver nothing
     * will come.
     *
     * @param <T> the type of the value
     */
    public static final class Sender<T> implements AutoCloseable {
        private final Receiver<T> rx;

        private Sender(Receiver<T> rx) {
            this.rx = rx;
        }

        /**
         * Sends the value and wakes the receiver; never waits.
         *
         * @throws NullPointerException if {@code value} is null
         * @throws ChannelClosedException (carrying the value) if the receiver is closed
         * @throws IllegalStateException if this sender already sent or was closed
         */
        public void send(T value) {
            rx.send(value);
        }

        /**
         * Closes the sender without sending: the receiver fails with
         * {@link ChannelClosedException}. Does nothing after a send, so try-with-resources around
         * a send is safe. Idempotent.
         */
        @Override
        public void close() {
            rx.closeTx();
        }

        /** Whether the receiver has been closed, so a send would fail. */
        public boolean isClosed() {
            return (rx.state & RX_CLOSED) != 0;
        }
    }

    /**
     * The receiving half: a future of the value. It may be awaited again after a cancellation
     * (see the class documentation), and polled again after it returned the value, which it
     * returns again.
     *
     * @param <T> the type of the value
     */
    public static final class Receiver<T> implements Future<T>, AutoCloseable {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Receiver.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The channel's state word: {@code VALUE_SENT | TX_CLOSED | RX_CLOSED | RX_WAITING}. */
        private volatile int state;
        /** Written by the sender before {@code VALUE_SENT}; read by the receiver after seeing it. */
        private T value;
        /** Written by the receiver only while {@code RX_WAITING} is clear. */
        private Waker rxWaker;

        private Receiver() {
        }

        /**
         * Ready with the value once sent; fails with {@link ChannelClosedException} if the sender
         * was closed without sending.
         */
        @Override
        public Poll<T> poll(Context cx) {
            int s = state;
            for (;;) {
                if ((s & RX_CLOSED) != 0) {
                    throw new IllegalStateException("oneshot receiver polled after it was closed");
                }
                if ((s & VALUE_SENT) != 0) {
                    if (!Coop.proceed(cx)) {
                        return Poll.pending();
                    }
                    return Poll.ready(value);
                }
                if ((s & TX_CLOSED) != 0) {
                    throw new ChannelClosedException("oneshot sender closed without sending");
                }
                Waker w = cx.waker();
                if ((s & RX_WAITING) != 0) {
                    if (rxWaker == w) {
                        return Poll.pending();
                    }
                    // take the waker slot back before replacing it
                    if (!STATE.compareAndSet(this, s, s & ~RX_WAITING)) {
                        s = state;
                        continue;
                    }
                    s &= ~RX_WAITING;
                }
                rxWaker = w;
                if (STATE.compareAndSet(this, s, s | RX_WAITING)) {
                    return Poll.pending();
                }
                s = state;
            }
        }

        /** Withdraws the waker; the channel stays open and the value is not lost. */
        @Override
        public void cancel() {
            for (;;) {
                int s = state;
                if ((s & RX_WAITING) == 0 || STATE.compareAndSet(this, s, s & ~RX_WAITING)) {
                    return;
                }
            }
        }

        /**
         * The value if it has been sent, else null; never waits.
         *
         * @throws ChannelClosedException if the sender was closed without sending
         */
        public T tryRecv() {
            int s = state;
            if ((s & RX_CLOSED) != 0) {
                throw new IllegalStateException("oneshot receiver used after it was closed");
            }
            if ((s & VALUE_SENT) != 0) {
                return value;
            }
            if ((s & TX_CLOSED) != 0) {
                throw new ChannelClosedException("oneshot sender closed without sending");
            }
            return null;
        }

        /**
         * Waits for the value on a thread that belongs to no runtime.
         *
         * @throws ChannelClosedException if the sender was closed without sending
         * @throws IllegalStateException if called on a runtime worker thread
         */
        public T blockingRecv() {
            return Await.block(this, "Oneshot.Receiver.blockingRecv");
        }

        /**
         * Closes the receiver: a later send fails and hands its value back. A value sent before is
         * dropped. Idempotent.
         */
        @Override
        public void close() {
            for (;;) {
                int s = state;
                if ((s & RX_CLOSED) != 0) {
                    return;
                }
                if (STATE.compareAndSet(this, s, (s | RX_CLOSED) & ~RX_WAITING)) {
                    if ((s & VALUE_SENT) != 0) {
                        value = null; // nobody will read it
                    }
                    return;
                }
            }
        }

        // ---- the sender's side of the protocol (see the class documentation) ----

        private void send(T v) {
            Objects.requireNonNull(v, "value");
            if ((state & (VALUE_SENT | TX_CLOSED)) != 0) {
                // checked before writing the value, so a second send cannot overwrite the first
                throw new IllegalStateException("oneshot sender already used (sent or closed)");
            }
            value = v;
            for (;;) {
                int s = state;
                if ((s & (VALUE_SENT | TX_CLOSED)) != 0) {
                    value = null;
                    throw new IllegalStateException("oneshot sender already used (sent or closed)");
                }
                if ((s & RX_CLOSED) != 0) {
                    value = null;
                    throw new ChannelClosedException("send on a closed oneshot: the receiver is closed", v);
                }
                if (STATE.compareAndSet(this, s, s | VALUE_SENT)) {
                    if ((s & RX_WAITING) != 0) {
                        rxWaker.wake();
                    }
                    return;
                }
            }
        }

        private void closeTx() {
            for (;;) {
                int s = state;
                if ((s & (VALUE_SENT | TX_CLOSED)) != 0) {
                    return;
                }
                if (STATE.compareAndSet(this, s, s | TX_CLOSED)) {
                    if ((s & RX_WAITING) != 0) {
                        rxWaker.wake();
                    }
                    return;
                }
            }
        }
    }
}
