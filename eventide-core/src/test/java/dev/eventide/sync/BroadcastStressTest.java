package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two sending threads and three receiving threads on a small ring: every receiver accounts for
 * every message exactly once, either received or reported missed, and sees each sender's
 * messages in order.
 */
@Timeout(60)
class BroadcastStressTest {

    @Test
    void receivedPlusMissedIsEverythingSent() throws Exception {
        final int senders = 2;
        final int perSender = 100_000;
        final int receivers = 3;
        var ch = Broadcast.<Long>channel(16);
        List<Broadcast.Receiver<Long>> rxs = new ArrayList<>();
        rxs.add(ch.rx());
        for (int r = 1; r < receivers; r++) {
            rxs.add(ch.tx().subscribe());
        }
        long[][] result = new long[receivers][];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(receivers);
        for (int r = 0; r < receivers; r++) {
            int me = r;
            Broadcast.Receiver<Long> rx = rxs.get(r);
            Thread.ofPlatform().start(() -> {
                long received = 0;
                long missed = 0;
                long[] last = new long[senders];
                java.util.Arrays.fill(last, -1);
                try {
                    for (;;) {
                        Long v;
                        try {
                            v = rx.blockingRecv();
                        } catch (LaggedException e) {
                            missed += e.missed();
                            continue;
                        }
                        if (v == null) {
                            break;
                        }
                        int s = (int) (v >>> 32);
                        long seq = v & 0xffffffffL;
                        if (seq <= last[s]) {
                            throw new AssertionError("out of order from sender " + s + ": " + seq + " after " + last[s]);
                        }
                        last[s] = seq;
                        received++;
                    }
                    result[me] = new long[] {received, missed};
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.countDown();
                }
            });
        }
        List<Thread> sendThreads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Broadcast.Sender<Long> tx = s == 0 ? ch.tx() : ch.tx().clone();
            long base = (long) s << 32;
            sendThreads.add(Thread.ofPlatform().start(() -> {
                try (tx) {
                    for (long i = 0; i < perSender; i++) {
                        tx.send(base | i);
                    }
                }
            }));
        }
        for (Thread t : sendThreads) {
            t.join();
        }
        done.await();
        assertThat(failure.get()).isNull();
        for (long[] r : result) {
            assertThat(r[0] + r[1]).isEqualTo((long) senders * perSender);
        }
    }
}
