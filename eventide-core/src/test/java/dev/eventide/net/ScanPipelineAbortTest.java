package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.sync.CancellationToken;
import dev.eventide.sync.Mpsc;
import dev.eventide.sync.Mutex;
import dev.eventide.time.Time;
import dev.eventide.time.TimeoutExpiredException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * The port scanner's pipeline, batched with {@code recvMany}, stopped by a
 * {@link CancellationToken} as its Ctrl-C handler does: a feeder sends probes into a bounded
 * channel; workers share its receiver through a {@link Mutex}, take batches with
 * {@code recvMany} and connect under a timeout far longer than the test (to a port that refuses
 * and to one whose full backlog drops the SYNs, so only the abort can end those connects); a
 * collector gathers the results; a watcher waits for the token and aborts the feeder and the
 * workers. Cancelled at a random moment, the scan must end promptly: the collector sees the end
 * of the results (every worker's sender is closed when its task completes, also when it was
 * aborted before it ever ran) and returns what it got.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScanPipelineAbortTest {
    private static final int PROBES = 4_000;
    private static final int WORKERS = 32;
    /** Far longer than the test: a connect ends by being refused, let in, or aborted. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

    @RepeatedTest(3)
    void multiThreadRuntime() throws Exception {
        scanAndCancel(() -> Eventide.builder().workerThreads(2).build());
    }

    @RepeatedTest(3)
    void currentThreadRuntime() throws Exception {
        scanAndCancel(Eventide::currentThread);
    }

    private static void scanAndCancel(Supplier<Eventide> runtime) throws Exception {
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Eventide rt = runtime.get()) {
            List<InetSocketAddress> targets = List.of(new InetSocketAddress("127.0.0.1", refused),
                    new InetSocketAddress("127.0.0.1", silent.getLocalPort()));
            long[] r = rt.blockOn(() -> {
                CancellationToken cancel = new CancellationToken();
                Mpsc<InetSocketAddress> probes = Mpsc.bounded(64);
                Mpsc<Integer> results = Mpsc.bounded(64);
                JoinHandle<Void> feeder = Eventide.spawn(() -> {
                    try (var tx = probes.tx()) {
                        for (int i = 0; i < PROBES; i++) {
                            tx.send(targets.get(i & 1)).await();
                        }
                    }
                });
                Mutex<Mpsc.Receiver<InetSocketAddress>> shared = new Mutex<>(probes.rx());
                List<JoinHandle<Void>> pool = new ArrayList<>();
                Mpsc.Sender<Integer> resultTx = results.tx();
                for (int w = 0; w < WORKERS; w++) {
                    Mpsc.Sender<Integer> mine = resultTx.clone();
                    JoinHandle<Void> worker = Eventide.spawn(() -> work(shared, mine));
                    // a worker aborted before its first poll never runs: close its sender when it ends
                    worker.toCompletableFuture().whenComplete((v, e) -> mine.close());
                    pool.add(worker);
                }
                resultTx.close();
                JoinHandle<Long> collector = Eventide.spawn(() -> {
                    long n = 0;
                    while (results.rx().recv().await() != null) {
                        n++;
                    }
                    return n;
                });
                Eventide.spawn(() -> {
                    cancel.cancelled().await();
                    feeder.abort();
                    pool.forEach(JoinHandle::abort);
                });
                // Cancel once the scan is under way: some probes done, many connects in flight.
                int yields = ThreadLocalRandom.current().nextInt(50, 500);
                for (int y = 0; y < yields; y++) {
                    Eventide.yieldNow().await();
                }
                cancel.cancel();
                long cancelledAt = System.nanoTime();
                long received = collector.await();
                long tookMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
                int aborted = 0;
                for (JoinHandle<Void> h : pool) {
                    try {
                        h.await();
                    } catch (CancelledException e) {
                        aborted++;
                    }
                }
                return new long[] {received, tookMillis, aborted};
            });
            assertThat(r[0]).as("results received before the scan stopped").isLessThan(PROBES);
            assertThat(r[1]).as("milliseconds from cancel to the end of the scan").isLessThan(10_000);
            assertThat(r[2]).as("workers stopped by their abort").isPositive();
        }
    }

    /** A scan worker that takes probes in batches; see the class documentation. */
    private static void work(Mutex<Mpsc.Receiver<InetSocketAddress>> shared, Mpsc.Sender<Integer> results) {
        List<InetSocketAddress> batch = new ArrayList<>();
        for (;;) {
            batch.clear();
            int n;
            try (var rx = shared.lock().await()) {
                n = rx.get().recvMany(batch, 8).await();
            }
            if (n == 0) {
                return;
            }
            for (InetSocketAddress a : batch) {
                results.send(probe(a)).await();
            }
        }
    }

    private static int probe(InetSocketAddress a) {
        try (TcpStream s = Time.timeout(CONNECT_TIMEOUT, TcpStream.connect(a)).await()) {
            return s.peerAddress().equals(a) ? 1 : 0;
        } catch (TimeoutExpiredException e) {
            throw new AssertionError("a connect outlived the test's timeout", e);
        } catch (UncheckedIOException e) {
            return 0;
        }
    }
}
