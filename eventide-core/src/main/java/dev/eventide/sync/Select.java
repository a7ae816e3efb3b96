package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Waits for the first of several futures: tokio's {@code select!} as a future.
 *
 * <pre>{@code
 * Selected<Object> s = Select.<Object>select(rx.recv(), Time.sleep(Duration.ofSeconds(1))).await();
 * if (s.index() == 1) { ... timed out ... }
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>The first future found ready wins; every other one gets {@link Future#cancel()} at once
 *       and is never polled again. So <em>only cancel-safe operations belong in a select</em>
 *       if losing them must not lose data: every primitive documents whether it is.</li>
 *   <li>If a future throws while polled, the select fails with that exception after cancelling
 *       the others.</li>
 *   <li>Fairness: {@link #select} starts each poll at a random future, so one that is always
 *       ready cannot starve the rest. {@link #biased} always polls in argument order (cheaper,
 *       and a way to give priority, e.g. to a shutdown signal).</li>
 *   <li>Cancelling the select cancels every future in it.</li>
 * </ul>
 * {@link #race} is the variant that waits for the first <em>success</em>, skipping failures.
 */
public final class Select {
    private Select() {
    }

    /** Fair select over {@code futures}; see the class documentation. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> Future<Selected<T>> select(Future<? extends T>... futures) {
        return select(Arrays.asList(Objects.requireNonNull(futures, "futures")));
    }

    /**
     * Fair select over {@code futures}; see the class documentation.
     *
     * @throws IllegalArgumentException if {@code futures} is empty (such a select never completes)
     */
    public static <T> Future<Selected<T>> select(List<? extends Future<? extends T>> futures) {
        return new SelectFuture<>(toArray(futures), false);
    }

    /** Select that polls in argument order, favouring earlier futures; see the class documentation. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> Future<Selected<T>> biased(Future<? extends T>... futures) {
        return biased(Arrays.asList(Objects.requireNonNull(futures, "futures")));
    }

    /**
     * Select that polls in list order, favouring earlier futures.
     *
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public static <T> Future<Selected<T>> biased(List<? extends Future<? extends T>> futures) {
        return new SelectFuture<>(toArray(futures), true);
    }

    /** {@link #race(List)} over the arguments. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <T> Future<T> race(Future<? extends T>... futures) {
        return race(Arrays.asList(Objects.requireNonNull(futures, "futures")));
    }

    /**
     * The value of the first future to complete <em>successfully</em>; the others are then
     * cancelled. A future that fails drops out of the race; if all fail, the race fails with the
     * last failure, each earlier one attached as suppressed to the one after it. Polled fairly, as {@link #select}.
     *
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public static <T> Future<T> race(List<? extends Future<? extends T>> futures) {
        return new RaceFuture<>(toArray(futures));
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    static <T> Future<? extends T>[] toArray(List<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("futures must not be empty: waiting for the first of none never ends");
        }
        Future<? extends T>[] a = futures.toArray(new Future[0]);
        for (int i = 0; i < a.length; i++) {
            Objects.requireNonNull(a[i], "futures[" + i + "]");
        }
        return a;
    }

    /** Cancels every future still in {@code fs} except {@code keep}; rethrows the first failure of a cancel. */
    static void cancelAllBut(Future<?>[] fs, int keep) {
        RuntimeException failure = null;
        for (int i = 0; i < fs.length; i++) {
            Future<?> f = fs[i];
            if (i != keep && f != null) {
                fs[i] = null;
                try {
                    f.cancel();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A tiny random source owned by one select, for the fair starting branch. Not
     * {@code ThreadLocalRandom}: a select polled on an async block's stack may run on a
     * different worker after each await, and the JIT may hand such code the previous thread's
     * generator (see ExecContext), which would then be shared between threads.
     */
    private static int xorshift(int x) {
        x ^= x << 13;
        x ^= x >>> 17;
        return x ^ (x << 5);
    }

    private static int seedFor(Object owner) {
        int h = System.identityHashCode(owner) * 0x9E3779B9;
        return h != 0 ? h : 1;
    }

    private static final class SelectFuture<T> implements Future<Selected<T>> {
        private final Future<? extends T>[] futures;
        private final boolean biased;
        private int seed = seedFor(this);
        private boolean done;

        SelectFuture(Future<? extends T>[] futures, boolean biased) {
            this.futures = futures;
            this.biased = biased;
        }

        @Override
        public Poll<Selected<T>> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("select polled after it completed or was cancelled");
            }
            int n = futures.length;
            int start = 0;
            if (!biased && n > 1) {
                seed = xorshift(seed);
                start = Math.floorMod(seed, n);
            }
            for (int k = 0; k < n; k++) {
                int i = start + k < n ? start + k : start + k - n;
                Poll<? extends T> p;
                try {
                    p = futures[i].poll(cx);
                } catch (RuntimeException | Error e) {
                    done = true;
                    futures[i] = null;
                    cancelAllBut(futures, -1);
                    throw e;
                }
                if (p.isReady()) {
                    done = true;
                    futures[i] = null;
                    cancelAllBut(futures, -1);
                    return Poll.ready(new Selected<>(i, p.value()));
                }
            }
            return Poll.pending();
        }

        @Override
        public void cancel() {
            if (!done) {
                done = true;
                cancelAllBut(futures, -1);
            }
        }
    }

    private static final class RaceFuture<T> implements Future<T> {
        private final Future<? extends T>[] futures;
        private int seed = seedFor(this);
        private int live;
        private RuntimeException failure;
        private boolean done;

        RaceFuture(Future<? extends T>[] futures) {
            this.futures = futures;
            this.live = futures.length;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("race polled after it completed or was cancelled");
            }
            int n = futures.length;
            seed = xorshift(seed);
            int start = Math.floorMod(seed, n);
            for (int k = 0; k < n; k++) {
                int i = start + k < n ? start + k : start + k - n;
                Future<? extends T> f = futures[i];
                if (f == null) {
                    continue;
                }
                Poll<? extends T> p;
                try {
                    p = f.poll(cx);
                } catch (RuntimeException e) {
                    futures[i] = null;
                    if (failure != null) {
                        e.addSuppressed(failure);
                    }
                    failure = e;
                    if (--live == 0) {
                        done = true;
                        throw e;
                    }
                    continue;
                } catch (Error e) {
                    done = true;
                    futures[i] = null;
                    cancelAllBut(futures, -1);
                    throw e;
                }
                if (p.isReady()) {
                    done = true;
                    futures[i] = null;
                    cancelAllBut(futures, -1);
                    return Poll.ready(p.value());
                }
            }
            return Poll.pending();
        }

        @Override
        public void cancel() {
            if (!done) {
                done = true;
                cancelAllBut(futures, -1);
            }
        }
    }
}
