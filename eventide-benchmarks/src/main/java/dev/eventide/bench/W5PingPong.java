package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.sync.Oneshot;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W5 ping_pong of bench/WORKLOADS.md on Eventide: per iteration a driver task spawns 1,000 ping
 * tasks; each ping creates oneshots A and B, spawns a pong that awaits A and sends on B, sends on
 * A, awaits B and counts down; the last signals the blocked main thread. Prints one JSON line.
 *
 * <p>Arguments: {@code [warmup] [iterations]} (default 50 and 100; tokio's figures use 5 + 100,
 * the extra warm-up is for the JIT).
 */
public final class W5PingPong {
    private static final int PINGS = 1_000;

    private W5PingPong() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int workers = Runtime.getRuntime().availableProcessors();
        long[] ns = new long[iters];
        try (Eventide rt = Eventide.builder().workerThreads(workers).build()) {
            AtomicInteger countdown = new AtomicInteger();
            BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);
            for (int i = -warmup; i < iters; i++) {
                countdown.set(PINGS);
                long t0 = System.nanoTime();
                rt.handle().spawn(() -> {
                    for (int p = 0; p < PINGS; p++) {
                        Eventide.spawn(() -> {
                            var a = Oneshot.<Boolean>channel();
                            var b = Oneshot.<Boolean>channel();
                            Eventide.spawn(() -> {
                                a.rx().await();
                                b.tx().send(Boolean.TRUE);
                            });
                            a.tx().send(Boolean.TRUE);
                            b.rx().await();
                            if (countdown.decrementAndGet() == 0) {
                                signal.add(Boolean.TRUE);
                            }
                        });
                    }
                });
                signal.take();
                long dt = System.nanoTime() - t0;
                if (i >= 0) {
                    ns[i] = dt;
                }
            }
        }
        Arrays.sort(ns);
        long median = ns[iters / 2];
        System.out.printf(
                "{\"workload\": \"W5 ping_pong\", \"unit\": \"ns/iter\", \"value\": %d, \"min\": %d, \"max\": %d,"
                        + " \"iters\": %d, \"warmup\": %d, \"workers\": %d, \"ns_per_ping\": %.1f}%n",
                median, ns[0], ns[iters - 1], iters, warmup, workers, median / (double) PINGS);
    }
}
