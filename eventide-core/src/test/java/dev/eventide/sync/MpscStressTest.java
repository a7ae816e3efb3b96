package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrency stress for {@link Mpsc}: cancelled receives and cancelled sends, racing real
 * producers, must neither lose nor duplicate a message, and must give back every unit of
 * capacity (a leaked unit would keep the end of the stream from ever arriving).
 *
 * <p>Consumers run as async blocks on a current-thread runtime, so their continuations never
 * move between threads; producers are platform threads.
 */
@Timeout(120)
class MpscStressTest {

    /**
     * A {@code select} in a loop, emulated: each round polls {@code recv()} once with the loser
     * branch's context and then cancels it, exactly what {@code select} does to a losing branch;
     * a second receive then plays the winning branch. A million rounds, no message lost.
     */
    @ParameterizedTest
    @ValueSource(ints = {64, 0})
    void recvCancelledLikeASelectLoserLosesNothingOverAMillionRounds(int capacity) throws Exception {
        final int n = 1_000_000;
        Mpsc<Integer> ch = capacity == 0 ? Mpsc.unbounded() : Mpsc.bounded(capacity);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        // After each 1,000 messages the producer waits until the consumer has drained them and
        // polled once more, so that some polls surely find the channel empty and are cancelled
        // (a producer always ahead would leave the cancel path untested).
        java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        Thread producer = Thread.ofPlatform().start(() -> {
            try (var tx = ch.tx()) {
                for (int i = 0; i < n; i++) {
                    tx.blockingSend(i);
                    if (i % 1_000 == 999 && i < n - 1) {
                        gate.acquire();
                    }
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        });
        Waker loser = Waker.noop();
        Context loserCx = Context.of(loser);
        long[] stats;
        try (Eventide rt = Eventide.currentThread()) {
            stats = rt.blockOn(() -> {
                Mpsc.Receiver<Integer> rx = ch.rx();
                long expected = 0;
                long cancelled = 0;
                for (int round = 0; round < n; round++) {
                    Poll<Integer> p = rx.recv().poll(loserCx);
                    if (round > 0 && round % 1_000 == 0) {
                        gate.release(); // that poll found the channel empty: the producer waits
                    }
                    Integer v;
                    if (p.isReady()) {
                        v = p.value();
                    } else {
                        rx.recv().cancel();
                        cancelled++;
                        v = rx.recv().await();
                    }
                    if (v == null || v != expected) {
                        return new long[] {-1, expected, v == null ? -1 : v};
                    }
                    expected++;
                }
                Integer end = rx.recv().await();
                return new long[] {expected, cancelled, end == null ? 0 : 1};
            });
        }
        producer.join();
        assertThat(producerFailure.get()).isNull();
        assertThat(stats[0]).as("messages received in order (or: expected, got)").isEqualTo(n);
        assertThat(stats[2]).as("then the end of the stream").isZero();
        assertThat(stats[1]).as("some rounds really cancelled a pending receive").isPositive();
    }

    /**
     * Four producers on a small channel, each abandoning a random share of its sends (some while
     * queued, some after capacity was granted to them); the consumer abandons receives at random
     * too. What arrives is exactly, and in order, what each producer saw complete.
     */
    @Test
    void multiProducerStressWithRandomCancellation() throws Exception {
        final int producers = 4;
        final int perProducer = 50_000;
        Mpsc<Long> ch = Mpsc.bounded(4);
        List<List<Long>> completed = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 0; p < producers; p++) {
            List<Long> mine = new ArrayList<>();
            completed.add(mine);
            Mpsc.Sender<Long> tx = p == 0 ? ch.tx() : ch.tx().clone();
            long base = (long) p << 32;
            threads.add(Thread.ofPlatform().unstarted(() -> {
                Context cx = Context.of(Waker.noop());
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                try (tx) {
                    for (long i = 0; i < perProducer; i++) {
                        long v = base | i;
                        Future<Void> f = tx.send(v);
                        if (f.poll(cx).isReady()) {
                            mine.add(v);
                        } else if (rnd.nextInt(3) == 0) {
                            for (int spin = rnd.nextInt(200); spin > 0; spin--) {
                                Thread.onSpinWait(); // let the consumer maybe grant it a slot first
                            }
                            f.cancel();
                        } else {
                            f.await();
                            mine.add(v);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        List<List<Long>> received = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            received.add(new ArrayList<>());
        }
        try (Eventide rt = Eventide.currentThread()) {
            rt.blockOn(() -> {
                Context loserCx = Context.of(Waker.noop());
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                Mpsc.Receiver<Long> rx = ch.rx();
                for (;;) {
                    Long v;
                    if (rnd.nextBoolean()) {
                        Poll<Long> poll = rx.recv().poll(loserCx);
                        if (poll.isPending()) {
                            rx.recv().cancel();
                            continue;
                        }
                        v = poll.value();
                    } else {
                        v = rx.recv().await();
                    }
                    if (v == null) {
                        return;
                    }
                    received.get((int) (v >>> 32)).add(v);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        for (int p = 0; p < producers; p++) {
            assertThat(received.get(p)).as("producer %d", p).isEqualTo(completed.get(p));
        }
        long total = completed.stream().mapToLong(List::size).sum();
        assertThat(total).as("some sends were cancelled, most completed")
                .isLessThan((long) producers * perProducer)
                .isGreaterThan((long) producers * perProducer / 2);
    }

    /**
     * Producer tasks blocked on a full channel are aborted at random: each aborted send is
     * withdrawn (its queue place and any granted slot given back), each task's sender handle is
     * closed by try-with-resources as it unwinds, and the receiver still reaches the end. What
     * each producer got through is a prefix of its sequence.
     */
    @Test
    void abortedProducerTasksGiveBackTheirPlaceAndTheStreamStillEnds() throws Exception {
        final int producers = 200;
        final int perProducer = 50;
        Mpsc<Long> ch = Mpsc.bounded(2);
        List<List<Long>> received = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            received.add(new ArrayList<>());
        }
        // Only started producers are aborted: an aborted task that never started never runs, so
        // its sender would never be closed (Java has no drop) and the stream would never end.
        java.util.concurrent.atomic.AtomicIntegerArray started = new java.util.concurrent.atomic.AtomicIntegerArray(producers);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<dev.eventide.JoinHandle<Void>> handles = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Mpsc.Sender<Long> tx = p == 0 ? ch.tx() : ch.tx().clone();
                long base = (long) p << 32;
                int id = p;
                handles.add(rt.handle().spawn(() -> {
                    started.set(id, 1);
                    try (tx) {
                        for (long i = 0; i < perProducer; i++) {
                            tx.send(base | i).await();
                        }
                    }
                }));
            }
            dev.eventide.JoinHandle<Long> consumer = rt.handle().spawn(() -> {
                long n = 0;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (Long v; (v = ch.rx().recv().await()) != null; n++) {
                    received.get((int) (v >>> 32)).add(v);
                    int victim = rnd.nextInt(producers);
                    if (rnd.nextInt(8) == 0 && started.get(victim) == 1) {
                        handles.get(victim).abort();
                    }
                }
                return n;
            });
            long n = consumer.toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
            long aborted = handles.stream().filter(h -> h.isCancelled()).count();
            assertThat(aborted).as("some producers were really aborted mid-stream").isPositive();
            assertThat(n).isEqualTo(received.stream().mapToLong(List::size).sum());
        }
        for (int p = 0; p < producers; p++) {
            List<Long> got = received.get(p);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i)).as("producer %d message %d", p, i).isEqualTo(((long) p << 32) | i);
            }
        }
    }

    /** Many threads on an unbounded channel: chunks linked concurrently lose nothing. */
    @Test
    void unboundedManyProducersLoseNothing() throws Exception {
        final int producers = 4;
        final int perProducer = 200_000;
        Mpsc<Long> ch = Mpsc.unbounded();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Mpsc.Sender<Long> tx = p == 0 ? ch.tx() : ch.tx().clone();
            long base = (long) p << 32;
            threads.add(Thread.ofPlatform().start(() -> {
                try (tx) {
                    for (long i = 0; i < perProducer; i++) {
                        tx.trySend(base | i);
                    }
                }
            }));
        }
        long[] next = new long[producers];
        long count = 0;
        for (Long v; (v = ch.rx().blockingRecv()) != null; count++) {
            int p = (int) (v >>> 32);
            assertThat(v & 0xffffffffL).isEqualTo(next[p]);
            next[p]++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(count).isEqualTo((long) producers * perProducer);
    }
}
