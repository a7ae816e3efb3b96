package dev.eventide.sync;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Interoperation with {@code java.util.concurrent}: await a {@link CompletionStage} as an
 * Eventide {@link Future}, and expose an Eventide future as a {@link CompletableFuture}.
 *
 * <pre>{@code
 * HttpResponse<String> r = Futures.fromStage(httpClient.sendAsync(req, ofString())).await();
 * CompletableFuture<Integer> cf = Futures.toCompletableFuture(runtime.handle(), computeAsync());
 * }</pre>
 */
public final class Futures {
    private Futures() {
    }

    /**
     * A future that completes with {@code stage}'s outcome. A stage that failed with an unchecked
     * exception or error fails the future with that same throwable; one that failed with a checked
     * exception fails it with a {@link CompletionException} wrapping it; a cancelled stage fails
     * it with {@link CancelledException}.
     *
     * <p>Cancel-safe, and cancelling it does not cancel the stage (others may depend on it).
     */
    public static <T> Future<T> fromStage(CompletionStage<? extends T> stage) {
        Objects.requireNonNull(stage, "stage");
        return new StageFuture<>(stage);
    }

    /**
     * Runs {@code future} as a task on the current runtime and returns a {@link CompletableFuture}
     * of its outcome. A {@link JoinHandle} is not spawned again: its task's outcome is used.
     * Cancelling the returned future aborts the task.
     *
     * @throws IllegalStateException if the calling thread drives no runtime (use
     *     {@link #toCompletableFuture(Handle, Future)})
     */
    public static <T> CompletableFuture<T> toCompletableFuture(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return link(future instanceof JoinHandle<T> h ? h : Eventide.spawn(future));
    }

    /** {@link #toCompletableFuture(Future)} that spawns onto the runtime of {@code handle}, from any thread. */
    public static <T> CompletableFuture<T> toCompletableFuture(Handle handle, Future<T> future) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(future, "future");
        return link(future instanceof JoinHandle<T> h ? h : handle.spawn(future));
    }

    private static <T> CompletableFuture<T> link(JoinHandle<T> task) {
        CompletableFuture<T> cf = task.toCompletableFuture();
        cf.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                task.abort();
            }
        });
        return cf;
    }

    /** The future of {@link #fromStage}: the stage's callback publishes the outcome, then wakes. */
    private static final class StageFuture<T> implements Future<T> {
        private static final VarHandle WAKER;

        static {
            try {
                WAKER = MethodHandles.lookup().findVarHandle(StageFuture.class, "waker", Waker.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile boolean complete;
        private T value;
        private Throwable failure;
        @SuppressWarnings("unused") // accessed through WAKER
        private volatile Waker waker;

        StageFuture(CompletionStage<? extends T> stage) {
            stage.whenComplete((v, e) -> {
                value = v;
                failure = e;
                complete = true; // volatile write publishes value and failure
                Waker w = (Waker) WAKER.getAndSet(this, null);
                if (w != null) {
                    w.wake();
                }
            });
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (!complete) {
                Waker w = cx.waker();
                if (waker != w) {
                    WAKER.setVolatile(this, w);
                }
                if (!complete) {
                    return Poll.pending();
                }
            }
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            Throwable e = failure;
            if (e == null) {
                return Poll.ready(value);
            }
            if (e instanceof CompletionException && e.getCause() != null) {
                e = e.getCause();
            }
            if (e instanceof CancellationException) {
                CancelledException c = new CancelledException("the completion stage was cancelled");
                c.initCause(e);
                throw c;
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new CompletionException(e);
        }

        @Override
        public void cancel() {
            WAKER.setVolatile(this, null);
        }
    }
}
