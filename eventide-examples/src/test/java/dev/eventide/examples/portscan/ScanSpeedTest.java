package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.sync.CancellationToken;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scanner must be fast: a full loopback scan of 65,535 ports in a few seconds on 2 cores
 * (issue 6; {@code ./eventide bench-portscan} measures it against nmap). This test holds a
 * slice of that bar in the suite: 4,000 ports of 127.0.0.1, nearly all refused, at the default
 * concurrency, in under 10 seconds (about 0.5 s when the reactor is healthy).
 *
 * <p>It caught a reactor defect once (each refused connect cost a worker ~20 ms in
 * {@code Registration.close}, fixed on main by "Reactor: closing a connection no longer waits to
 * take the driver").
 */
@Timeout(30)
class ScanSpeedTest {
    @Test
    void fourThousandRefusedPortsInSeconds() {
        int[] ports = IntStream.rangeClosed(1, 4_000).toArray();
        ScanReport report;
        try (Eventide rt = Eventide.builder().build()) {
            report = rt.blockOn(() -> ScanEngine.scan(List.of(new Target(null, LoopbackPorts.LOOPBACK)), ports,
                    new ScanOptions(Duration.ofSeconds(1), 1, PortScan.DEFAULT_CONCURRENCY), new CancellationToken(),
                    (r, n) -> { }));
        }
        assertThat(report.results()).hasSize(ports.length);
        assertThat(report.counts().get(PortState.FILTERED)).isZero();
        assertThat(report.elapsedNanos() / 1_000_000).as("milliseconds for 4,000 loopback ports").isLessThan(10_000);
    }
}
