package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo scenario: the ports it opens, and only those (plus any open before), are found. */
@Timeout(60)
class DemoScanTest {
    @Test
    void findsExactlyTheListenersItOpenedPlusThoseAlreadyOpen() {
        int[] ports = TopPorts.get().top(TopPorts.get().size());
        DemoScan.Result r;
        try (Eventide rt = Eventide.builder().build()) {
            r = rt.blockOn(() -> DemoScan.perform(new Target(null, LoopbackPorts.LOOPBACK), ports,
                    new ScanOptions(Duration.ofSeconds(1), 1, 100), opened -> { }));
        }
        assertThat(r.opened()).hasSize(DemoScan.LISTENERS);
        assertThat(r.opened()).allSatisfy(p -> assertThat(TopPorts.get().service(p)).isNotNull());
        assertThat(r.found()).containsAll(r.opened()).isEqualTo(r.expected());
        assertThat(r.report().results()).hasSize(ports.length);
        assertThat(r.passed()).isTrue();
        // The listeners are gone afterwards.
        assertThat(r.opened()).noneMatch(LoopbackPorts::openByJdk);
    }
}
