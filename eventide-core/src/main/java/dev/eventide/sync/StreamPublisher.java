package dev.eventide.sync;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Flow.Publisher} of {@link Flows#toPublisher}: one subscriber, served by a pump task
 * that pulls the stream only while the subscriber has outstanding demand.
 *
 * <p>Every signal to the subscriber comes from the pump task, one poll at a time, so signals are
 * serial (rule 1.3) even though {@code request} and {@code cancel} arrive from any thread: those
 * only update the demand or the cancelled flag and wake the pump.
 */
final class StreamPublisher<T> implements Flow.Publisher<T> {
    private final Handle handle;
    private final AsyncStream<? extends T> stream;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    StreamPublisher(Handle handle, AsyncStream<? extends T> stream) {
        this.handle = handle;
        this.stream = stream;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException(
                    "this publisher serves a single subscriber: its stream can be read only once"));
            return;
        }
        Pump<T> pump = new Pump<>(stream, subscriber);
        subscriber.onSubscribe(pump.subscription);
        handle.spawn(pump);
    }

    /** The task that moves elements from the stream to the subscriber. */
    private static final class Pump<T> implements Future<Void> {
        private static final VarHandle DEMAND;
        private static final VarHandle WAKER;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                DEMAND = l.findVarHandle(Pump.class, "demand", long.class);
                WAKER = l.findVarHandle(Pump.class, "waker", Waker.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final AsyncStream<? extends T> stream;
        private final Flow.Subscriber<? super T> subscriber;
        /** Outstanding demand, saturating at Long.MAX_VALUE; -1 after an illegal request. */
        private volatile long demand;
        private volatile boolean cancelled;
        @SuppressWarnings("unused") // accessed through WAKER
        private volatile Waker waker;
        private Future<? extends T> pending;
        private boolean finished;

        final Flow.Subscription subscription = new Flow.Subscription() {
            @Override
            public void request(long n) {
                for (;;) {
                    long d = demand;
                    if (d < 0) {
                        return;
                    }
                    long next = n <= 0 ? -1 : (d + n < 0 ? Long.MAX_VALUE : d + n);
                    if (DEMAND.compareAndSet(Pump.this, d, next)) {
                        break;
                    }
                }
                wakePump();
            }

            @Override
            public void cancel() {
                cancelled = true;
                wakePump();
            }
        };

        Pump(AsyncStream<? extends T> stream, Flow.Subscriber<? super T> subscriber) {
            this.stream = stream;
            this.subscriber = subscriber;
        }

        private void wakePump() {
            Waker w = waker;
            if (w != null) {
                w.wake();
            }
        }

        @Override
        public Poll<Void> poll(Context cx) {
            Waker w = cx.waker();
            if (waker != w) {
                WAKER.setVolatile(this, w); // before reading demand: a request after this wakes us
            }
            for (;;) {
                if (cancelled) {
                    return stop();
                }
                if (pending == null) {
                    long d = demand;
                    if (d < 0) {
                        stop();
                        subscriber.onError(new IllegalArgumentException(
                                "Subscription.request(n) needs n > 0 (Reactive Streams rule 3.9)"));
                        return Poll.ready(null);
                    }
                    if (d == 0) {
                        return Poll.pending();
                    }
                    if (!Coop.proceed(cx)) {
                        return Poll.pending();
                    }
                    pending = stream.next();
                }
                Poll<? extends T> p;
                try {
                    p = pending.poll(cx);
                } catch (RuntimeException | Error e) {
                    pending = null;
                    stop();
                    subscriber.onError(e);
                    return Poll.ready(null);
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                pending = null;
                T v = p.value();
                if (v == null) {
                    stop();
                    subscriber.onComplete();
                    return Poll.ready(null);
                }
                if (demand != Long.MAX_VALUE) {
                    DEMAND.getAndAdd(this, -1L);
                }
                subscriber.onNext(v);
            }
        }

        /** Ends the pump: cancels a pending pull and closes the stream. */
        private Poll<Void> stop() {
            finished = true;
            Future<? extends T> f = pending;
            pending = null;
            try {
                if (f != null) {
                    f.cancel();
                }
            } finally {
                stream.close();
            }
            return Poll.ready(null);
        }

        @Override
        public void cancel() {
            // The runtime is shutting down (or the task was aborted): tell the subscriber.
            if (!finished) {
                boolean wasCancelled = cancelled;
                stop();
                if (!wasCancelled) {
                    subscriber.onError(new CancelledException("the task publishing this stream was cancelled"));
                }
            }
        }
    }
}
