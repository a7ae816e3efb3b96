package dev.eventide.sync;

import dev.eventide.Future;
import dev.eventide.Waker;
import dev.eventide.runtime.Await;
import java.util.Objects;

/**
 * A single-producer, multi-consumer channel that holds only the latest value: receivers read it
 * whenever they like and can wait until it changes. Intermediate values a receiver did not look
 * at are simply skipped, so a slow receiver never holds the sender back.
 *
 * <pre>{@code
 * var config = Watch.channel(Config.defaults());
 * Eventide.spawn(() -> {
 *     var rx = config.rx();
 *     while (rx.changed().await()) apply(rx.borrowAndUpdate());
 * });
 * config.tx().send(reloaded);
 * }</pre>
 *
 * <h2>Versions</h2>
 * Every send bumps a version. Each receiver remembers the version it last
 * {@linkplain Receiver#borrowAndUpdate() marked seen}; {@link Receiver#changed()} completes with
 * {@code true} as soon as the current version is newer (marking it seen), and with {@code false}
 * once the sender is closed and nothing unseen is left: that is the end. A receiver made by
 * {@link Receiver#clone()} or {@link Sender#subscribe()} starts having seen the current value.
 *
 * <h2>Closing</h2>
 * {@link Sender#send} fails with {@link ChannelClosedException} (handing the value back, the
 * stored value unchanged) when every receiver is closed; {@link Sender#sendReplace} stores
 * regardless. Closing the sender ends the stream; the last value stays readable.
 *
 * <h2>Cancellation safety</h2>
 * {@link Receiver#changed()} is cancellation safe: it marks the new version seen only when it
 * completes, so a cancelled wait loses no change; cancelling unlinks the receiver's waker at
 * once. {@code send} never waits.
 *
 * <h2>Design</h2>
 * The value, the version, the counts and the waiting receivers are guarded by one short lock; a
 * send swaps the value, detaches the waiting receivers' wakers and wakes them after releasing
 * the lock. Values are never null.
 *
 * @param <T> the type of the value
 */
public final class Watch<T> {
    private final ChannelLock lock = new ChannelLock();
    // guarded by lock
    private T value;
    private long version;
    private boolean senderClosed;
    private final ReceiverGroup receivers = new ReceiverGroup(lock);

    private final Sender<T> tx;
    private final Receiver<T> rx;

    private Watch(T initial) {
        this.value = initial;
        this.tx = new Sender<>(this);
        this.rx = new Receiver<>(this, 0);
    }

    /**
     * A channel holding {@code initial}, which its first receiver counts as seen.
     *
     * @throws NullPointerException if {@code initial} is null
     */
    public static <T> Watch<T> channel(T initial) {
        return new Watch<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The sender (there is one). */
    public Sender<T> tx() {
        return tx;
    }

    /** The first receiver. */
    public Receiver<T> rx() {
        return rx;
    }

    private T store(T v, boolean requireReceivers) {
        Waker[] toWake;
        T old;
        lock.lock();
        try {
            if (senderClosed) {
                throw new ChannelClosedException("send on a closed watch sender", v);
            }
            if (requireReceivers && receivers.openLocked() == 0) {
                throw new ChannelClosedException("watch send with no receiver open", v);
            }
            old = value;
            value = v;
            version++;
            toWake = receivers.waiters.detachAll();
        } finally {
            lock.unlock();
        }
        ReceiverWaitList.wakeAll(toWake);
        return old;
    }

    private T current() {
        lock.lock();
        try {
            return value;
        } finally {
            lock.unlock();
        }
    }

    private Receiver<T> newReceiver() {
        lock.lock();
        try {
            receivers.addLocked();
            return new Receiver<>(this, version);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sending half.
     *
     * @param <T> the type of the value
     */
    public static final class Sender<T> implements AutoCloseable {
        private final Watch<T> ch;

        private Sender(Watch<T> ch) {
            this.ch = ch;
        }

        /**
         * Replaces the value and notifies every receiver waiting in {@link Receiver#changed()}.
         *
         * @throws NullPointerException if {@code value} is null
         * @throws ChannelClosedException (carrying the value; nothing stored) if no receiver is
         *     open, or the sender is closed
         */
        public void send(T value) {
            ch.store(Objects.requireNonNull(value, "value"), true);
        }

        /**
         * Replaces the value even if no receiver is open (a later {@link #subscribe()} sees it),
         * and returns the previous one.
         *
         * @throws NullPointerException if {@code value} is null
         * @throws ChannelClosedException (carrying the value) if the sender is closed
         */
        public T sendReplace(T value) {
            return ch.store(Objects.requireNonNull(value, "value"), false);
        }

        /** The current value. */
        public T borrow() {
            return ch.current();
        }

        /** A new receiver, which counts the current value as seen. */
        public Receiver<T> subscribe() {
            return ch.newReceiver();
        }

        /** The number of open receivers. */
        public int receiverCount() {
            return ch.receivers.count();
        }

        /** Whether every receiver is closed (so {@link #send} would fail). */
        public boolean isClosed() {
            return receiverCount() == 0;
        }

        /**
         * Closes the sender: waiting receivers get {@code false} from {@code changed()} once they
         * have seen the last value. Idempotent.
         */
        @Override
        public void close() {
            Waker[] toWake;
            ch.lock.lock();
            try {
                if (ch.senderClosed) {
                    return;
                }
                ch.senderClosed = true;
                toWake = ch.receivers.waiters.detachAll();
            } finally {
                ch.lock.unlock();
            }
            ReceiverWaitList.wakeAll(toWake);
        }
    }

    /**
     * A receiving handle with its own "seen" version. One task waits through it at a time:
     * {@link #changed()} returns the same future object on every call.
     *
     * @param <T> the type of the value
     */
    public static final class Receiver<T> extends WaitingReceiver<Boolean>
            implements AutoCloseable {
        private final Watch<T> ch;
        private long seen; // guarded by ch.lock

        private Receiver(Watch<T> ch, long seen) {
            super(ch.receivers, "watch receiver");
            this.ch = ch;
            this.seen = seen;
        }

        /** The current value, without marking it seen. */
        public T borrow() {
            return ch.current();
        }

        /** The current value, marking it seen. */
        public T borrowAndUpdate() {
            ch.lock.lock();
            try {
                seen = ch.version;
                return ch.value;
            } finally {
                ch.lock.unlock();
            }
        }

        /** Whether a value newer than the last one marked seen has been sent. */
        public boolean hasChanged() {
            ch.lock.lock();
            try {
                return ch.version != seen;
            } finally {
                ch.lock.unlock();
            }
        }

        /**
         * Waits until a value newer than the last one seen is sent, then marks it seen: the
         * future's value is {@code true}; or {@code false} once the sender is closed and nothing
         * unseen is left (the end). Read the value with {@link #borrow()}. Cancellation safe.
         */
        public Future<Boolean> changed() {
            return future;
        }

        /**
         * {@link #changed()} for threads that belong to no runtime.
         *
         * @throws IllegalStateException if called on a runtime worker thread
         */
        public boolean blockingChanged() {
            return Await.block(future, "Watch.Receiver.blockingChanged");
        }

        /** Another receiver that starts having seen what this one has seen; close it too. */
        @Override
        public Receiver<T> clone() {
            ch.lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("cannot clone a closed receiver");
                }
                ch.receivers.addLocked();
                return new Receiver<>(ch, seen);
            } finally {
                ch.lock.unlock();
            }
        }

        /** Closes this receiver; when all are closed, {@link Sender#send} fails. Idempotent. */
        @Override
        public void close() {
            closeOnce();
        }

        /** {@code true} for an unseen version (now seen); {@code false} at the end; else null. */
        @Override
        Boolean takeLocked() {
            if (ch.version != seen) {
                seen = ch.version;
                unlinkLocked();
                return Boolean.TRUE;
            }
            if (ch.senderClosed) {
                unlinkLocked();
                return Boolean.FALSE;
            }
            return null;
        }

        /** Never: a watch's end is a value, {@code false}, which {@link #takeLocked()} returns. */
        @Override
        boolean endedLocked() {
            return false;
        }
    }
}
