package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.time.Time;
import dev.eventide.time.TimeoutExpiredException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Mpsc.Receiver#recvMany} as the port scanner batches with it: consumers share the one
 * receiver through a {@link Mutex} (tokio's {@code Arc<Mutex<Receiver>>}), producers send and
 * close, and consumers are aborted at random moments (waiting for the lock, parked in
 * {@code recvMany}, or between batches). Every message must be received exactly once (a
 * cancelled {@code recvMany} takes nothing, and an aborted consumer's lock goes to the next), and
 * the surviving consumer must see the end of the stream: a lost wake-up would leave it parked.
 * A second test races {@code Time.timeout} with the arrival of messages on a single consumer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecvManyAbortStressTest {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 20_000;
    private static final int CONSUMERS = 8;

    @RepeatedTest(3)
    void sharedReceiverWithAbortedConsumersMultiThread() {
        sharedReceiverWithAbortedConsumers(() -> Eventide.builder().workerThreads(2).build());
    }

    @RepeatedTest(3)
    void sharedReceiverWithAbortedConsumersCurrentThread() {
        sharedReceiverWithAbortedConsumers(Eventide::currentThread);
    }

    private static void sharedReceiverWithAbortedConsumers(Supplier<Eventide> runtime) {
        int total = PRODUCERS * PER_PRODUCER;
        BitSet seen = new BitSet(total);
        int[] duplicates = {0};
        try (Eventide rt = runtime.get()) {
            int aborted = rt.blockOn(() -> {
                Mpsc<Integer> ch = Mpsc.bounded(16);
                Mutex<Mpsc.Receiver<Integer>> shared = new Mutex<>(ch.rx());
                List<JoinHandle<Void>> producers = new ArrayList<>();
                Mpsc.Sender<Integer> tx = ch.tx();
                for (int p = 0; p < PRODUCERS; p++) {
                    int base = p * PER_PRODUCER;
                    Mpsc.Sender<Integer> mine = tx.clone();
                    producers.add(Eventide.spawn(() -> {
                        try (mine) {
                            for (int i = 0; i < PER_PRODUCER; i++) {
                                mine.send(base + i).await();
                            }
                        }
                    }));
                }
                tx.close();
                List<JoinHandle<Void>> consumers = new ArrayList<>();
                for (int c = 0; c < CONSUMERS; c++) {
                    consumers.add(Eventide.spawn(() -> consume(shared, seen, duplicates)));
                }
                // Abort every consumer but the first, at random moments while messages flow.
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int c = 1; c < CONSUMERS; c++) {
                    int yields = rnd.nextInt(256);
                    for (int y = 0; y < yields; y++) {
                        Eventide.yieldNow().await();
                    }
                    consumers.get(c).abort();
                }
                for (JoinHandle<Void> h : producers) {
                    h.await();
                }
                int cancelled = 0;
                for (JoinHandle<Void> h : consumers) {
                    try {
                        h.await();
                    } catch (CancelledException e) {
                        cancelled++;
                    }
                }
                return cancelled;
            });
            assertThat(aborted).as("consumers ended by their abort").isBetween(0, CONSUMERS - 1);
        }
        assertThat(duplicates[0]).as("messages received twice").isZero();
        assertThat(seen.cardinality()).as("messages received").isEqualTo(total);
    }

    /** Takes batches under the lock until the end of the stream; records each message at once. */
    private static void consume(Mutex<Mpsc.Receiver<Integer>> shared, BitSet seen, int[] duplicates) {
        List<Integer> batch = new ArrayList<>();
        for (;;) {
            batch.clear();
            int n;
            try (var rx = shared.lock().await()) {
                n = rx.get().recvMany(batch, 1 + ThreadLocalRandom.current().nextInt(32)).await();
                // Recorded under the lock, before any other await: an abort cannot come in between.
                synchronized (seen) {
                    for (int m : batch) {
                        if (seen.get(m)) {
                            duplicates[0]++;
                        }
                        seen.set(m);
                    }
                }
            }
            if (n == 0) {
                return;
            }
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                Eventide.yieldNow().await(); // sometimes let another consumer take the lock
            }
        }
    }

    @RepeatedTest(3)
    void recvManyUnderATimeoutRacingTheSendersLosesNothing() {
        int producers = 2;
        int perProducer = 4_000;
        int total = producers * perProducer;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            long[] r = rt.blockOn(() -> {
                Mpsc<Integer> ch = Mpsc.bounded(8);
                Mpsc.Sender<Integer> tx = ch.tx();
                for (int p = 0; p < producers; p++) {
                    int base = p * perProducer;
                    Mpsc.Sender<Integer> mine = tx.clone();
                    Eventide.spawn(() -> {
                        try (mine) {
                            for (int i = 0; i < perProducer; i++) {
                                if ((i & 31) == 0) {
                                    Time.sleep(Duration.ofMillis(2)).await(); // gaps, so timeouts fire
                                }
                                mine.send(base + i).await();
                            }
                        }
                    });
                }
                tx.close();
                BitSet seen = new BitSet(total);
                long timeouts = 0;
                long dup = 0;
                List<Integer> batch = new ArrayList<>();
                for (;;) {
                    batch.clear();
                    int n;
                    try {
                        n = Time.timeout(Duration.ofMillis(1), ch.rx().recvMany(batch, 64)).await();
                    } catch (TimeoutExpiredException e) {
                        timeouts++;
                        assertThat(batch).as("a timed-out recvMany takes nothing").isEmpty();
                        continue;
                    }
                    if (n == 0) {
                        break;
                    }
                    for (int m : batch) {
                        dup += seen.get(m) ? 1 : 0;
                        seen.set(m);
                    }
                }
                return new long[] {seen.cardinality(), dup, timeouts};
            });
            assertThat(r[0]).as("messages received").isEqualTo(total);
            assertThat(r[1]).as("messages received twice").isZero();
            assertThat(r[2]).as("receives that timed out (the race was run)").isPositive();
        }
    }
}
