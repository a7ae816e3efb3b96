package dev.eventide.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one workload on one system: builds its {@link Trial} on a fresh platform thread (the
 * workload's main thread, which belongs to no runtime), runs the warm-up and timed iterations
 * there, and shuts it down.
 *
 * <p>The calling thread is a watchdog for WORKLOADS.md's starvation rule: if one iteration
 * (warm-up or timed; building the trial counts as one) runs longer than the limit, it closes the
 * trial (which clears the background flag and shuts the system down), interrupts the main
 * thread, and reports the workload as failed.
 */
final class Runner {
    private final long limitNanos;

    Runner(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    /**
     * Runs {@code warmup} warm-up iterations, and more until {@code minWarmupNanos} have passed
     * since the first, then {@code timed} timed ones.
     */
    Result run(Workload w, Sys sys, int workers, Size size, int warmup, long minWarmupNanos, int timed)
            throws InterruptedException {
        AtomicReference<Trial> trial = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        double[] values = new double[timed];
        Map<String, double[]> extras = new LinkedHashMap<>();
        long limit = w.iterationLimitNanos(size, limitNanos);
        // start time of the iteration in progress, 0 between iterations
        long[] iterationStart = new long[1];
        Object lock = new Object();
        int[] warmed = new int[1]; // warm-up iterations run
        Thread main = Thread.ofPlatform().name("bench-" + w.id() + "-" + sys.key).daemon().unstarted(() -> {
            try {
                mark(lock, iterationStart, System.nanoTime());
                trial.set(w.open(sys, workers, size));
                long warmupStart = System.nanoTime();
                while (warmed[0] < warmup || System.nanoTime() - warmupStart < minWarmupNanos) {
                    mark(lock, iterationStart, System.nanoTime());
                    trial.get().iteration();
                    mark(lock, iterationStart, 0);
                    warmed[0]++;
                }
                for (int i = 0; i < timed; i++) {
                    mark(lock, iterationStart, System.nanoTime());
                    values[i] = trial.get().iteration();
                    mark(lock, iterationStart, 0);
                    int at = i;
                    trial.get().extras().forEach((k, x) -> extras.computeIfAbsent(k, key -> {
                        double[] none = new double[timed];
                        Arrays.fill(none, Double.NaN);
                        return none;
                    })[at] = x);
                }
                mark(lock, iterationStart, 0);
                trial.get().close();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        main.start();
        while (main.isAlive()) {
            main.join(20);
            long started;
            synchronized (lock) {
                started = iterationStart[0];
            }
            if (started != 0 && System.nanoTime() - started > limit && main.isAlive()) {
                String error = "an iteration took longer than " + TimeUnit.NANOSECONDS.toSeconds(limit)
                        + " s (starved); workload stopped";
                failure.compareAndSet(null, new StarvedException(error));
                abandon(trial.get(), main);
                break;
            }
        }
        Throwable t = failure.get();
        if (t instanceof SkippedException skip) {
            Trial tr = trial.get();
            if (tr != null) {
                closeQuietly(tr, t);
            }
            return Result.skipped(w, sys, size, skip.getMessage());
        }
        if (t != null) {
            Trial tr = trial.get();
            if (tr != null && !(t instanceof StarvedException)) {
                closeQuietly(tr, t);
            }
            return Result.failed(w, sys, size, describe(t));
        }
        return Result.ok(w, sys, size, warmed[0], values, extras);
    }

    private static void mark(Object lock, long[] iterationStart, long value) {
        synchronized (lock) {
            iterationStart[0] = value;
        }
    }

    private static void abandon(Trial trial, Thread main) throws InterruptedException {
        if (trial != null) {
            closeQuietly(trial, null);
        }
        main.interrupt();
        main.join(TimeUnit.SECONDS.toMillis(15));
        if (main.isAlive()) {
            System.getLogger("dev.eventide.bench").log(System.Logger.Level.WARNING,
                    "the main thread of an abandoned workload is still blocked: " + main.getName());
        }
    }

    private static void closeQuietly(Trial trial, Throwable primary) {
        try {
            trial.close();
        } catch (Exception e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                System.getLogger("dev.eventide.bench").log(System.Logger.Level.WARNING, "closing a stopped workload failed", e);
            }
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof StarvedException) {
            return t.getMessage();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + " (caused by " + root + ")";
    }

    /** The starvation rule fired. */
    private static final class StarvedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StarvedException(String message) {
            super(message);
        }
    }
}
