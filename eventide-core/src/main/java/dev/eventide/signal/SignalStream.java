package dev.eventide.signal;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The signals of one kind delivered to this process while the stream is open (tokio's
 * {@code Signal}); made by {@link Signal#of(String)}.
 *
 * <p>A signal delivered while nobody waits is kept (one, coalesced) for the next
 * {@link #recv()}. Cancelling {@code recv()} loses nothing. Closing the stream stops listening;
 * if it was the signal's last listener, the JVM's handler is restored (see {@link Signal}). One
 * task receives from a stream at a time; open one stream per task that listens.
 */
public final class SignalStream implements AutoCloseable {
    private static final VarHandle NOTIFIED;
    private static final VarHandle WAKER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NOTIFIED = l.findVarHandle(SignalStream.class, "notified", boolean.class);
            WAKER = l.findVarHandle(SignalStream.class, "waker", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SignalSlot slot;
    private volatile boolean notified;
    private volatile Waker waker;
    private volatile boolean closed;

    SignalStream(SignalSlot slot) {
        this.slot = slot;
    }

    /** Completes at the next signal (or at once if one arrived since the last receive). */
    public Future<Void> recv() {
        return new Future<>() {
            private Waker registered;

            @Override
            public Poll<Void> poll(Context cx) {
                if (pollRecv(cx)) {
                    return Poll.ready(null);
                }
                registered = cx.waker();
                return Poll.pending();
            }

            @Override
            public void cancel() {
                if (registered != null) {
                    WAKER.compareAndSet(SignalStream.this, registered, null);
                }
            }
        };
    }

    /**
     * True (consuming it) if a signal arrived since the last receive; else registers the
     * waker and returns false.
     *
     * @throws IllegalStateException if the stream is closed
     */
    public boolean pollRecv(Context cx) {
        if (closed) {
            throw new IllegalStateException("SignalStream for SIG" + slot.name() + " is closed");
        }
        if ((boolean) NOTIFIED.getAndSet(this, false)) {
            return true;
        }
        Waker w = cx.waker();
        if (waker != w) {
            waker = w;
        }
        // A delivery between the first check and the store above must not be missed.
        return (boolean) NOTIFIED.getAndSet(this, false);
    }

    void deliver() {
        notified = true;
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }

    /** Stops listening; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            slot.remove(this);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "SignalStream[SIG" + slot.name() + (closed ? ", closed" : "") + "]";
    }
}
