package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.sync.Mpsc;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.SubmissionPublisher;

/**
 * W7 mpsc (1p1c, 4p1c): a bounded
 * channel of capacity 1,024; the producers send 0, 1, … in order, the consumer receives and sums
 * all 1,000,000 messages; the main thread checks the sum. Messages are boxed {@code Long}s.
 *
 * <ul>
 *   <li>Eventide: {@code dev.eventide.sync.Mpsc.bounded(1024)}, producers and consumer are
 *       async blocks awaiting {@code send} and {@code recv}.</li>
 *   <li>{@code fjp}: the JDK's asynchronous bounded channel, a {@code SubmissionPublisher} with
 *       the pool as its executor and a buffer of 1,024; producers are pool tasks whose
 *       {@code submit} waits (as a {@code ManagedBlocker}) while the buffer is full; the consumer
 *       is a subscriber. Only 1p1c: with 4 producers on 2 workers it deadlocks (observed on
 *       JDK 25: a submitter blocked on a full buffer holds the publisher's lock, the other
 *       worker waits for that lock, and no compensating thread runs the consumer).</li>
 *   <li>virtual threads: an {@code ArrayBlockingQueue(1024)}, one virtual thread per producer
 *       and one for the consumer.</li>
 *   <li>Netty has no channel between tasks: not run.</li>
 * </ul>
 */
final class W7Mpsc implements Workload {
    private static final int CAPACITY = 1_024;

    private final int producers;

    W7Mpsc(int producers) {
        if (producers < 1) {
            throw new IllegalArgumentException("producers must be positive: " + producers);
        }
        this.producers = producers;
    }

    @Override
    public String id() {
        return "W7-" + producers + "p1c";
    }

    @Override
    public String name() {
        return "mpsc_" + producers + "p1c";
    }

    @Override
    public Unit unit() {
        return Unit.MMSG_PER_S;
    }

    @Override
    public long opsPerIteration(Size size) {
        return messages(size);
    }

    @Override
    public String opName() {
        return "message";
    }

    @Override
    public int warmupIterations(Size size) {
        return size.quick() ? 1 : 5;
    }

    @Override
    public int timedIterations(Size size) {
        return size.quick() ? 3 : 20;
    }

    private static int messages(Size size) {
        return size.pick(1_000_000, 40_000);
    }

    @Override
    public Set<Sys> systems() {
        // 4 submitters on a SubmissionPublisher deadlock a small pool (see the class comment)
        return producers == 1 ? EnumSet.of(Sys.EVENTIDE, Sys.FJP, Sys.VTHREADS) : EnumSet.of(Sys.EVENTIDE, Sys.VTHREADS);
    }

    private long expectedSum(int total) {
        long each = total / producers;
        return producers * (each * (each - 1) / 2);
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) {
        int total = messages(size);
        int each = total / producers;
        long expected = expectedSum(total);
        return switch (sys) {
            case EVENTIDE -> {
                Eventide rt = Peers.eventide(workers);
                yield trial(total, () -> {
                    Mpsc<Long> ch = Mpsc.bounded(CAPACITY);
                    JoinHandle<Long> consumer = rt.handle().spawn(() -> {
                        Mpsc.Receiver<Long> rx = ch.rx();
                        long sum = 0;
                        for (int n = 0; n < total; n++) {
                            sum += rx.recv().await();
                        }
                        return sum;
                    });
                    Mpsc.Sender<Long> first = ch.tx();
                    for (int p = 0; p < producers; p++) {
                        Mpsc.Sender<Long> tx = p == producers - 1 ? first : first.clone();
                        rt.handle().spawn(() -> {
                            try (tx) {
                                for (long v = 0; v < each; v++) {
                                    tx.send(v).await();
                                }
                            }
                        });
                    }
                    return consumer.join();
                }, expected, () -> Peers.close(rt));
            }
            case FJP -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                yield trial(total, () -> {
                    SubmissionPublisher<Long> channel = new SubmissionPublisher<>(pool, CAPACITY);
                    CompletableFuture<Long> consumer = new CompletableFuture<>();
                    channel.subscribe(new Flow.Subscriber<Long>() {
                        private long sum;
                        private int received;

                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            s.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(Long item) {
                            sum += item;
                            if (++received == total) {
                                consumer.complete(sum);
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            consumer.completeExceptionally(t);
                        }

                        @Override
                        public void onComplete() {
                            consumer.complete(sum);
                        }
                    });
                    for (int p = 0; p < producers; p++) {
                        pool.execute(() -> {
                            for (long i = 0; i < each; i++) {
                                channel.submit(i);
                            }
                        });
                    }
                    long sum = consumer.get();
                    channel.close();
                    return sum;
                }, expected, () -> Peers.close(pool));
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                yield trial(total, () -> {
                    ArrayBlockingQueue<Long> channel = new ArrayBlockingQueue<>(CAPACITY);
                    Future<Long> consumer = vt.submit(() -> {
                        long sum = 0;
                        for (int i = 0; i < total; i++) {
                            sum += channel.take();
                        }
                        return sum;
                    });
                    for (int p = 0; p < producers; p++) {
                        vt.execute(() -> {
                            try {
                                for (long i = 0; i < each; i++) {
                                    channel.put(i);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                    return consumer.get();
                }, expected, () -> Peers.close(vt));
            }
            default -> throw new IllegalArgumentException("W7 is not implemented on " + sys.key + " here");
        };
    }

    private interface Exchange {
        long run() throws Exception;
    }

    private static Trial trial(int total, Exchange exchange, long expected, Closer closer) {
        return new Trial() {
            @Override
            public double iteration() throws Exception {
                long start = System.nanoTime();
                long sum = exchange.run();
                long elapsed = System.nanoTime() - start;
                Check.equal(sum, expected, "the consumer's sum");
                return total / (elapsed / 1e9) / 1e6;
            }

            @Override
            public void close() throws Exception {
                closer.close();
            }
        };
    }
}
