package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;

/**
 * The {@link AsyncStream} of {@link Flows#fromPublisher}: a {@link Flow.Subscriber} that buffers
 * at most {@code batch} requested elements for one consumer.
 *
 * <p>Protocol: the publisher's signals (serial, per the Reactive Streams rules) append to the
 * buffer or set the terminal state, then wake the consumer's waker; the consumer stores its
 * waker, then re-checks the buffer and the terminal state, so no signal is missed. The terminal
 * state is read before the buffer, so elements sent before {@code onComplete} are all delivered.
 * Demand is replenished by the consumer, in halves of the batch.
 */
final class PublisherStream<T> implements AsyncStream<T>, Flow.Subscriber<T> {
    private static final VarHandle WAKER;

    static {
        try {
            WAKER = MethodHandles.lookup().findVarHandle(PublisherStream.class, "waker", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int batch;
    private final int refillAt;
    private final ConcurrentLinkedQueue<T> buffer = new ConcurrentLinkedQueue<>();
    private volatile Flow.Subscription subscription;
    /** Null while running; {@link #COMPLETED}, or the error, once the publisher ended. */
    private volatile Object terminal;
    private volatile boolean closed;
    @SuppressWarnings("unused") // accessed through WAKER
    private volatile Waker waker;
    /** Elements consumed since demand was last replenished; consumer only. */
    private int consumed;

    private static final Object COMPLETED = new Object();

    PublisherStream(int batch) {
        this.batch = batch;
        this.refillAt = Math.max(1, batch / 2);
    }

    @Override
    public Future<T> next() {
        return this::pollNext;
    }

    private Poll<T> pollNext(Context cx) {
        if (closed) {
            return Poll.ready(null);
        }
        Poll<T> p = tryTake(cx);
        if (p != null) {
            return p;
        }
        Waker w = cx.waker();
        if (waker != w) {
            WAKER.setVolatile(this, w);
        }
        p = tryTake(cx);
        return p != null ? p : Poll.pending();
    }

    /** An element, the end, the failure, or null if the consumer must wait. */
    private Poll<T> tryTake(Context cx) {
        Object end = terminal;
        if (!buffer.isEmpty()) {
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            T v = buffer.poll();
            if (++consumed >= refillAt) {
                int n = consumed;
                consumed = 0;
                subscription.request(n);
            }
            return Poll.ready(v);
        }
        if (end == null) {
            return null;
        }
        if (end == COMPLETED) {
            return Poll.ready(null);
        }
        Throwable e = (Throwable) end;
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new CompletionException(e);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            buffer.clear();
        }
    }

    // ------------------------------------------------------------------ Flow.Subscriber

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription");
        if (subscription != null || closed) {
            s.cancel(); // rule 2.5: a second subscription is cancelled
            return;
        }
        subscription = s;
        s.request(batch);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // rule 2.13
        if (closed) {
            return;
        }
        buffer.add(item);
        wakeConsumer();
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable");
        terminal = throwable;
        wakeConsumer();
    }

    @Override
    public void onComplete() {
        terminal = COMPLETED;
        wakeConsumer();
    }

    private void wakeConsumer() {
        Waker w = waker;
        if (w != null) {
            w.wake();
        }
    }
}
