package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Runs several futures concurrently within one task and waits for all of them: tokio's
 * {@code join!} and {@code try_join!}.
 *
 * <pre>{@code
 * Join.Pair<User, List<Order>> p = Join.join(users.get(id), orders.forUser(id)).await();
 * List<Page> pages = Join.tryJoin(urls.stream().map(client::fetch).toList()).await();
 * }</pre>
 *
 * <p>The futures run in the calling task, interleaved at their {@code await} points: for
 * parallelism on several cores, spawn tasks instead (see {@link JoinSet}). Each poll of a join
 * polls every future that has not completed yet, so joins suit a handful to a few hundred
 * futures; for thousands, prefer a {@link JoinSet}.
 *
 * <h2>Failures</h2>
 * {@link #joinAll} and {@link #join} wait for every future even when some fail, then fail with
 * the first failure (later ones suppressed). {@link #tryJoin} fails at the first failure and
 * cancels the futures still running. Cancelling a join cancels every future still running.
 */
public final class Join {
    private Join() {
    }

    /**
     * The values of a two-way {@link #join}.
     *
     * @param first the first future's value
     * @param second the second future's value
     * @param <A> the type of the first value
     * @param <B> the type of the second value
     */
    public record Pair<A, B>(A first, B second) {
    }

    /** Waits for both futures and pairs their values; fails after both complete if either failed. */
    @SuppressWarnings("unchecked")
    public static <A, B> Future<Pair<A, B>> join(Future<? extends A> a, Future<? extends B> b) {
        JoinFuture<Object> all = new JoinFuture<>(Select.toArray(List.of(a, b)), false);
        return new Future<>() {
            @Override
            public Poll<Pair<A, B>> poll(Context cx) {
                Poll<List<Object>> p = all.poll(cx);
                if (p.isPending()) {
                    return Poll.pending();
                }
                List<Object> v = p.value();
                return Poll.ready(new Pair<>((A) v.get(0), (B) v.get(1)));
            }

            @Override
            public void cancel() {
                all.cancel();
            }
        };
    }

    /**
     * Waits for every future; completes with their values in argument order. If any failed, fails
     * once all have completed, with the first failure (the others suppressed). An empty list
     * completes at once with an empty list.
     */
    public static <T> Future<List<T>> joinAll(List<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        return futures.isEmpty() ? Future.ready(List.of()) : new JoinFuture<>(Select.toArray(futures), false);
    }

    /**
     * Waits for every future, unless one fails: then the others are cancelled and the join fails
     * at once with that failure. Completes with the values in argument order.
     */
    public static <T> Future<List<T>> tryJoin(List<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        return futures.isEmpty() ? Future.ready(List.of()) : new JoinFuture<>(Select.toArray(futures), true);
    }

    private static final class JoinFuture<T> implements Future<List<T>> {
        private final Future<? extends T>[] futures;
        private final Object[] values;
        private final boolean failFast;
        private int remaining;
        private RuntimeException failure;
        private boolean done;

        JoinFuture(Future<? extends T>[] futures, boolean failFast) {
            this.futures = futures;
            this.values = new Object[futures.length];
            this.failFast = failFast;
            this.remaining = futures.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Poll<List<T>> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("join polled after it completed or was cancelled");
            }
            for (int i = 0; i < futures.length; i++) {
                Future<? extends T> f = futures[i];
                if (f == null) {
                    continue;
                }
                try {
                    Poll<? extends T> p = f.poll(cx);
                    if (p.isPending()) {
                        continue;
                    }
                    values[i] = p.value();
                } catch (RuntimeException e) {
                    futures[i] = null;
                    remaining--;
                    if (failFast) {
                        done = true;
                        Select.cancelAllBut(futures, -1);
                        throw e;
                    }
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                    continue;
                } catch (Error e) {
                    done = true;
                    futures[i] = null;
                    Select.cancelAllBut(futures, -1);
                    throw e;
                }
                futures[i] = null;
                remaining--;
            }
            if (remaining > 0) {
                return Poll.pending();
            }
            done = true;
            if (failure != null) {
                throw failure;
            }
            return Poll.ready(Collections.unmodifiableList((List<T>) new ArrayList<>(Arrays.asList(values))));
        }

        @Override
        public void cancel() {
            if (!done) {
                done = true;
                Select.cancelAllBut(futures, -1);
            }
        }
    }
}
