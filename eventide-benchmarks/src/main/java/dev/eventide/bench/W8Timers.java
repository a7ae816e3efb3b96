package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.time.Time;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workload W8 of {@code bench/WORKLOADS.md}: a million sleeping tasks, on Eventide's timer.
 *
 * <p>One run per process (the peak RSS must belong to the run): the main thread draws a million
 * delays (xorshift64, seed {@code 0x9E3779B97F4A7C15}, {@code x mod 1000} unsigned) and spawns
 * one async block per delay; each block, when it first runs, computes its deadline, sleeps
 * until it with {@code Time.sleep}, records its lateness and counts down; the last one releases
 * the main thread. Prints one JSON line: wall time (the value), spawn time, lateness p50 / p99 /
 * max (nearest rank), and {@code VmHWM}. Workers: as many as CPUs, unless given as the first
 * argument. Run it three times, each in a fresh JVM, and take the medians.
 */
public final class W8Timers {
    private static final int TASKS = 1_000_000;
    private static final long SEED = 0x9E3779B97F4A7C15L;

    private W8Timers() {
    }

    /** The i-th delays of W8, in ms: the reference sequence starts 989, 574, 30, 260, ... */
    static long[] delays() {
        long[] out = new long[TASKS];
        long x = SEED;
        for (int i = 0; i < TASKS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = Long.remainderUnsigned(x, 1000);
        }
        return out;
    }

    /**
     * Runs W8 once and prints its JSON line.
     *
     * @param args optional: the number of worker threads
     */
    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        long[] check = delays();
        long sum = 0;
        for (long d : check) {
            sum += d;
        }
        if (check[0] != 989 || check[1] != 574 || check[7] != 450 || sum != 499_969_304L) {
            throw new IllegalStateException("delay sequence does not match WORKLOADS.md (sum " + sum + ")");
        }
        check = null;

        long[] lateness = new long[TASKS];
        AtomicInteger countdown = new AtomicInteger(TASKS);
        CountDownLatch done = new CountDownLatch(1);
        long wallNanos;
        long spawnNanos;
        try (Eventide rt = Eventide.builder().workerThreads(workers).build()) {
            long x = SEED;
            long start = System.nanoTime();
            for (int i = 0; i < TASKS; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                long delay = Long.remainderUnsigned(x, 1000);
                int slot = i;
                rt.handle().spawn(() -> {
                    long deadline = System.nanoTime() + delay * 1_000_000L;
                    Time.sleep(Duration.ofMillis(delay)).await();
                    lateness[slot] = Math.max(0, System.nanoTime() - deadline);
                    if (countdown.decrementAndGet() == 0) {
                        done.countDown();
                    }
                });
            }
            spawnNanos = System.nanoTime() - start;
            done.await();
            wallNanos = System.nanoTime() - start;
        }

        Arrays.sort(lateness);
        double wallMs = wallNanos / 1e6;
        String heap = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:+Use"))
                .reduce((a, b) -> a + " " + b).orElse("default");
        System.out.println(String.format(Locale.ROOT,
                "{\"workload\": \"W8 timers\", \"unit\": \"ms\", \"value\": %.1f, \"min\": %.1f, \"max\": %.1f,"
                        + " \"iters\": 1, \"p99_lateness_ms\": %.2f, \"p50_lateness_ms\": %.2f,"
                        + " \"max_lateness_ms\": %.2f, \"peak_rss_mib\": %.1f, \"spawn_ms\": %.1f,"
                        + " \"workers\": %d, \"jvm\": \"%s\"}",
                wallMs, wallMs, wallMs, rank(lateness, 0.99), rank(lateness, 0.50), lateness[TASKS - 1] / 1e6,
                peakRssMib(), spawnNanos / 1e6, workers, heap));
    }

    /** Nearest-rank percentile of sorted nanosecond values, in ms. */
    private static double rank(long[] sorted, double p) {
        int r = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, r - 1)] / 1e6;
    }

    private static double peakRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }
}
