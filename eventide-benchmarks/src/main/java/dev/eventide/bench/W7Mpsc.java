package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.sync.Mpsc;
import java.util.Arrays;

/**
 * W7 mpsc of bench/WORKLOADS.md on Eventide: a bounded channel of capacity 1,024 carrying
 * 1,000,000 boxed {@code Long}s per iteration, from 1 producer task (mpsc_1p1c) or 4
 * (mpsc_4p1c) to one consumer task that sums them. Prints one JSON line per variant.
 *
 * <p>Arguments: {@code [warmup] [iterations]} (default 10 and 20; the definition asks for at
 * least 5 + 20).
 */
public final class W7Mpsc {
    private static final int MESSAGES = 1_000_000;
    private static final int CAPACITY = 1_024;

    private W7Mpsc() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int workers = Runtime.getRuntime().availableProcessors();
        for (int producers : new int[] {1, 4}) {
            double[] rates = new double[iters];
            try (Eventide rt = Eventide.builder().workerThreads(workers).build()) {
                long perProducer = MESSAGES / producers;
                long expected = producers * (perProducer * (perProducer - 1) / 2);
                for (int i = -warmup; i < iters; i++) {
                    Mpsc<Long> ch = Mpsc.bounded(CAPACITY);
                    long t0 = System.nanoTime();
                    JoinHandle<Long> consumer = rt.handle().spawn(() -> {
                        Mpsc.Receiver<Long> rx = ch.rx();
                        long sum = 0;
                        for (int n = 0; n < MESSAGES; n++) {
                            sum += rx.recv().await();
                        }
                        return sum;
                    });
                    Mpsc.Sender<Long> first = ch.tx();
                    for (int p = 0; p < producers; p++) {
                        Mpsc.Sender<Long> tx = p == producers - 1 ? first : first.clone();
                        rt.handle().spawn(() -> {
                            try (tx) {
                                for (long v = 0; v < perProducer; v++) {
                                    tx.send(v).await();
                                }
                            }
                        });
                    }
                    long sum = consumer.join();
                    long dt = System.nanoTime() - t0;
                    if (sum != expected) {
                        throw new AssertionError("sum " + sum + " != " + expected);
                    }
                    if (i >= 0) {
                        rates[i] = MESSAGES / (dt / 1e9) / 1e6;
                    }
                }
            }
            Arrays.sort(rates);
            System.out.printf(
                    "{\"workload\": \"W7 mpsc_%dp1c\", \"unit\": \"Mmsg/s\", \"value\": %.3f, \"min\": %.3f, \"max\": %.3f,"
                            + " \"iters\": %d, \"warmup\": %d, \"workers\": %d, \"message\": \"boxed Long\"}%n",
                    producers, rates[iters / 2], rates[0], rates[iters - 1], iters, warmup, workers);
        }
    }
}
