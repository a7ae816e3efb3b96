package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventide.Eventide;
import dev.eventide.sync.CancellationToken;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scan engine against loopback: open, closed, filtered, cancelled. */
@Timeout(60)
class ScanEngineTest {
    private static final Target LOCAL = new Target(null, LoopbackPorts.LOOPBACK);
    private static Eventide rt;

    @BeforeAll
    static void start() {
        rt = Eventide.builder().build();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static <T> T on(Callable<T> block) {
        return rt.blockOn(block);
    }

    private static ScanOptions options(Duration timeout, int retries, int concurrency) {
        return new ScanOptions(timeout, retries, concurrency);
    }

    @Test
    void rangeWithKnownListenersFindsExactlyThemAndTheRestClosed() throws Exception {
        List<ServerSocket> listeners = LoopbackPorts.listenAt(3, 17, 40);
        try {
            int base = listeners.getFirst().getLocalPort() - 3;
            int[] range = IntStream.rangeClosed(base, base + 45).toArray();
            ScanReport report = on(() -> ScanEngine.scan(List.of(LOCAL), range,
                    options(Duration.ofSeconds(2), 1, 16), new CancellationToken(), (r, n) -> { }));

            Set<Integer> ours = listeners.stream().map(ServerSocket::getLocalPort).collect(Collectors.toSet());
            Set<Integer> found = ports(report, PortState.OPEN);
            // Another process may hold a port in the window; the JDK's own connect is the referee.
            Set<Integer> strangers = new TreeSet<>(found);
            strangers.removeAll(ours);
            strangers.removeIf(LoopbackPorts::openByJdk);
            assertThat(found).containsAll(ours);
            assertThat(strangers).as("ports reported open that are not").isEmpty();
            assertThat(report.results()).hasSize(range.length);
            assertThat(report.interrupted()).isFalse();
            assertThat(report.counts().get(PortState.CLOSED)).isEqualTo((long) range.length - found.size());
            assertThat(report.counts().get(PortState.FILTERED)).isZero();
        } finally {
            for (ServerSocket s : listeners) {
                s.close();
            }
        }
    }

    @Test
    void listenerWithFullBacklogIsFilteredAfterTheTimeoutNotOpen() throws Exception {
        List<AutoCloseable> held = LoopbackPorts.fullBacklog();
        try {
            int port = ((ServerSocket) held.getFirst()).getLocalPort();
            long start = System.nanoTime();
            ScanResult r = on(() -> ScanEngine.probe(LOCAL, port, options(Duration.ofMillis(300), 1, 1)));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.state()).isEqualTo(PortState.FILTERED);
            assertThat(r.attempts()).as("one retry after the first timeout").isEqualTo(2);
            assertThat(r.detail()).contains("no answer within 300ms");
            assertThat(tookMs).isBetween(590L, 5_000L);
        } finally {
            for (AutoCloseable c : held) {
                c.close();
            }
        }
    }

    @Test
    void cancellationStopsPromptlyAndKeepsWhatWasFound() throws Exception {
        List<ServerSocket> listeners = LoopbackPorts.listenAt(0);
        List<AutoCloseable> held = LoopbackPorts.fullBacklog();
        try {
            int open = listeners.getFirst().getLocalPort();
            int filtered = ((ServerSocket) held.getFirst()).getLocalPort();
            // The open port first, then probes that hang for 30 s each: only cancellation ends this scan soon.
            List<Target> hosts = new ArrayList<>();
            hosts.add(LOCAL);
            for (int i = 0; i < 20; i++) {
                hosts.add(new Target("copy-" + i, LoopbackPorts.LOOPBACK));
            }
            CancellationToken cancel = new CancellationToken();
            long[] cancelledAt = new long[1];
            ScanReport report = on(() -> ScanEngine.scan(hosts, new int[] {open, filtered},
                    options(Duration.ofSeconds(30), 0, 8), cancel, (r, n) -> {
                        if (r.state() == PortState.OPEN && !cancel.isCancelled()) {
                            cancelledAt[0] = System.nanoTime();
                            cancel.cancel();
                        }
                    }));
            long stopMs = (System.nanoTime() - cancelledAt[0]) / 1_000_000;
            assertThat(report.interrupted()).isTrue();
            assertThat(report.results().size()).isLessThan(42);
            assertThat(ports(report, PortState.OPEN)).contains(open);
            assertThat(ports(report, PortState.FILTERED)).as("no hung probe was waited for").isEmpty();
            assertThat(stopMs).as("milliseconds from cancel to the report").isLessThan(2_000);
        } finally {
            for (ServerSocket s : listeners) {
                s.close();
            }
            for (AutoCloseable c : held) {
                c.close();
            }
        }
    }

    @Test
    void aScanCancelledBeforeItsWorkersStartEndsAtOnce() throws Exception {
        // Aborted before their first poll, most workers never run, so never close their result
        // senders themselves; the collector must see the end of the results all the same.
        List<ServerSocket> listeners = LoopbackPorts.listenAt(0);
        try {
            CancellationToken cancel = new CancellationToken();
            cancel.cancel();
            int[] ports = IntStream.range(0, 200).map(i -> listeners.getFirst().getLocalPort()).toArray();
            ScanReport report;
            // One worker, so that the watcher (the last task spawned, in the LIFO slot) runs first
            try (Eventide one = Eventide.builder().workerThreads(1).build()) {
                report = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> one.blockOn(() -> ScanEngine.scan(
                        List.of(LOCAL), ports, options(Duration.ofSeconds(2), 0, 100), cancel, (r, n) -> { })));
            }
            assertThat(report.interrupted()).isTrue();
            assertThat(report.results().size()).isLessThan(ports.length);
        } finally {
            for (ServerSocket s : listeners) {
                s.close();
            }
        }
    }

    @Test
    void refusedIsClosedAndEveryResultIsReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LoopbackPorts.LOOPBACK)) {
            port = s.getLocalPort();
        }
        ScanResult r = on(() -> ScanEngine.probe(LOCAL, port, options(Duration.ofSeconds(2), 3, 1)));
        assertThat(r.state()).isEqualTo(PortState.CLOSED);
        assertThat(r.attempts()).as("a refusal is final: no retry").isEqualTo(1);
    }

    private static Set<Integer> ports(ScanReport report, PortState state) {
        return report.inState(state).stream().map(ScanResult::port).collect(Collectors.toCollection(TreeSet::new));
    }
}
