package dev.eventide.examples.portscan;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.net.TcpStream;
import dev.eventide.sync.CancellationToken;
import dev.eventide.sync.Mpsc;
import dev.eventide.sync.Mutex;
import dev.eventide.time.Time;
import dev.eventide.time.TimeoutExpiredException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The scan pipeline: a feeder task, a pool of worker tasks and a collector task joined by two
 * channels.
 *
 * <h2>Design</h2>
 * <pre>
 *   feeder ──(host, port)──▶ probes: bounded Mpsc ──▶ N workers ──result──▶ results: bounded Mpsc ──▶ collector
 * </pre>
 * <ul>
 *   <li>The <b>feeder</b> walks hosts × ports and sends one probe at a time into a bounded
 *       channel a couple of times as large as the pool, so it is never more than a few probes
 *       ahead (back-pressure: a million-probe scan holds a few thousand probes in memory).</li>
 *   <li>The <b>workers</b> ({@link ScanOptions#concurrency()} of them, so that many connects are
 *       in flight at most) share the channel's single receiver through an async {@link Mutex}
 *       (tokio's {@code Arc<Mutex<Receiver>>} pattern: the lock is held only to take the next
 *       probe). Each connects with {@link TcpStream#connect} under {@link Time#timeout}, classifies
 *       the outcome, closes the socket, and sends the result on. Each has a clone of the result
 *       sender, closed when its task completes (the probe channel ended, or it was aborted).</li>
 *   <li>The <b>collector</b> receives the results, keeps them, and reports each to a
 *       {@link Listener} (the progress bar). It ends when the last worker's sender is closed, so
 *       its end is the end of the scan.</li>
 * </ul>
 *
 * <h2>Classification</h2>
 * Connected: {@code open} (closed again at once). Refused: {@code closed}. No answer within the
 * timeout, after {@link ScanOptions#retries()} more tries: {@code filtered}; a host or network
 * unreachable is {@code filtered} too (a router said no), with the reason. Anything else that
 * goes wrong on this side ({@code too many open files}, say) is {@code error} with the reason.
 * Only timeouts are retried. A connect to the loopback address can, rarely, pick the target port
 * as its own source port and connect to itself (TCP simultaneous open); that is nothing
 * listening, so it counts as {@code closed}.
 *
 * <h2>Cancellation</h2>
 * A {@link CancellationToken} stops the scan: a watcher task aborts the feeder and the workers
 * (a connect in flight is cancelled, which closes its socket), their result senders close (each
 * when its worker's task completes, so also for a worker aborted before it ever ran), the
 * collector drains what was sent and ends, and {@link #scan} returns the partial report marked
 * interrupted. The Ctrl-C handler of {@link PortScan} and the tests use the same token.
 */
public final class ScanEngine {
    /** Receives each result as the collector takes it; runs on the collector task, so be quick. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param result the result just received
         * @param done how many results have been received so far, this one included
         */
        void onResult(ScanResult result, long done);
    }

    /** One port of one host to probe. */
    record Probe(Target target, int port) {
    }

    private ScanEngine() {
    }

    /**
     * Scans every port of {@code ports} on every host of {@code targets}; call inside an async
     * block (the pipeline's tasks are spawned on the current runtime).
     *
     * @param cancel cancel it to stop the scan; the report then says {@code interrupted}
     * @param listener told of each result as it arrives
     * @return every result received, with the elapsed time
     */
    public static ScanReport scan(List<Target> targets, int[] ports, ScanOptions options, CancellationToken cancel,
            Listener listener) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(cancel, "cancel");
        Objects.requireNonNull(listener, "listener");
        long planned = (long) targets.size() * ports.length;
        long start = System.nanoTime();
        if (planned == 0) {
            return new ScanReport(List.of(), 0, System.nanoTime() - start, false);
        }
        int workers = (int) Math.min(options.concurrency(), planned);
        int queue = Math.clamp(2L * workers, 64, 1 << 16);
        Mpsc<Probe> probes = Mpsc.bounded(queue);
        Mpsc<ScanResult> results = Mpsc.bounded(queue);

        JoinHandle<Void> feeder = Eventide.spawn(() -> feed(probes.tx(), targets, ports, cancel));
        Mutex<Mpsc.Receiver<Probe>> shared = new Mutex<>(probes.rx());
        List<JoinHandle<Void>> pool = new ArrayList<>(workers);
        Mpsc.Sender<ScanResult> resultTx = results.tx();
        for (int i = 0; i < workers; i++) {
            Mpsc.Sender<ScanResult> mine = resultTx.clone();
            JoinHandle<Void> worker = Eventide.spawn(() -> work(shared, mine, options));
            // Closed when the worker ends, however it ends: a worker aborted before its first
            // poll never runs, so could not close it itself, and the collector would wait forever.
            worker.toCompletableFuture().whenComplete((v, e) -> mine.close());
            pool.add(worker);
        }
        resultTx.close();
        JoinHandle<List<ScanResult>> collector = Eventide.spawn(() -> collect(results.rx(), listener));
        JoinHandle<Void> watcher = Eventide.spawn(() -> {
            cancel.cancelled().await();
            feeder.abort();
            pool.forEach(JoinHandle::abort);
        });
        try {
            List<ScanResult> found = collector.await();
            return new ScanReport(found, planned, System.nanoTime() - start, found.size() < planned);
        } finally {
            watcher.abort();
            feeder.abort();
            pool.forEach(JoinHandle::abort);
        }
    }

    private static void feed(Mpsc.Sender<Probe> tx, List<Target> targets, int[] ports, CancellationToken cancel) {
        try (tx) {
            for (Target t : targets) {
                for (int port : ports) {
                    if (cancel.isCancelled()) {
                        return;
                    }
                    tx.send(new Probe(t, port)).await();
                }
            }
        }
    }

    private static void work(Mutex<Mpsc.Receiver<Probe>> shared, Mpsc.Sender<ScanResult> results,
            ScanOptions options) {
        for (;;) {
            Probe p;
            try (var rx = shared.lock().await()) {
                p = rx.get().recv().await();
            }
            if (p == null) {
                return;
            }
            results.send(probe(p.target(), p.port(), options)).await();
        }
    }

    private static List<ScanResult> collect(Mpsc.Receiver<ScanResult> rx, Listener listener) {
        List<ScanResult> found = new ArrayList<>();
        for (ScanResult r; (r = rx.recv().await()) != null; ) {
            found.add(r);
            listener.onResult(r, found.size());
        }
        return found;
    }

    /**
     * Probes one port: connect under a timeout, retrying only timeouts; see the class
     * documentation for the classification. Call inside an async block.
     */
    static ScanResult probe(Target target, int port, ScanOptions options) {
        InetSocketAddress address = new InetSocketAddress(target.address(), port);
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try (TcpStream s = Time.timeout(options.timeout(), TcpStream.connect(address)).await()) {
                if (s.localAddress().equals(s.peerAddress())) {
                    return new ScanResult(target, port, PortState.CLOSED, attempt, System.nanoTime() - start,
                            "connected to itself (nothing listens)");
                }
                return new ScanResult(target, port, PortState.OPEN, attempt, System.nanoTime() - start, null);
            } catch (TimeoutExpiredException e) {
                if (attempt > options.retries()) {
                    return new ScanResult(target, port, PortState.FILTERED, attempt, System.nanoTime() - start,
                            "no answer within " + Durations.format(options.timeout()));
                }
            } catch (UncheckedIOException e) {
                return classify(target, port, attempt, System.nanoTime() - start, e.getCause());
            }
        }
    }

    private static ScanResult classify(Target target, int port, int attempts, long nanos, IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        PortState state;
        if (e instanceof ConnectException && lower.contains("refused")) {
            state = PortState.CLOSED;
            message = null;
        } else if (e instanceof NoRouteToHostException
                || (e instanceof SocketException && (lower.contains("unreachable") || lower.contains("timed out")))) {
            state = PortState.FILTERED;
        } else {
            state = PortState.ERROR;
        }
        return new ScanResult(target, port, state, attempts, nanos, message);
    }
}
