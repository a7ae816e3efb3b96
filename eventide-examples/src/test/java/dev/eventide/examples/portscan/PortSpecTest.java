package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PortSpecTest {
    @Test
    void listsAndRangesComeOutAscendingAndUnique() {
        assertThat(PortSpec.parse("80,22,8000-8003,22")).containsExactly(22, 80, 8000, 8001, 8002, 8003);
        assertThat(PortSpec.parse(" 443 ")).containsExactly(443);
    }

    @Test
    void openEndedRangesAndDashAloneCoverEveryPort() {
        assertThat(PortSpec.parse("-")).isEqualTo(IntStream.rangeClosed(1, 65535).toArray());
        assertThat(PortSpec.parse("-3")).containsExactly(1, 2, 3);
        assertThat(PortSpec.parse("65533-")).containsExactly(65533, 65534, 65535);
    }

    @Test
    void badSpecsNameTheProblem() {
        assertThatThrownBy(() -> PortSpec.parse("70000")).hasMessageContaining("port 70000 is out of range");
        assertThatThrownBy(() -> PortSpec.parse("0")).hasMessageContaining("port 0 is out of range");
        assertThatThrownBy(() -> PortSpec.parse("100-20")).hasMessageContaining("reversed port range '100-20'");
        assertThatThrownBy(() -> PortSpec.parse("22,http")).hasMessageContaining("'http'");
        assertThatThrownBy(() -> PortSpec.parse("22,,80")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> PortSpec.parse("")).hasMessageContaining("empty port list");
    }

    @Test
    void topPortsListIsTheRankedHundredWithServices() {
        TopPorts top = TopPorts.get();
        assertThat(top.size()).isEqualTo(100);
        assertThat(top.top(5)).containsExactly(80, 23, 443, 21, 22);
        assertThat(IntStream.of(top.top(100)).distinct().count()).isEqualTo(100);
        assertThat(top.service(22)).isEqualTo("ssh");
        assertThat(top.service(3389)).isEqualTo("ms-wbt-server");
        assertThat(top.service(2)).isNull();
        assertThatThrownBy(() -> top.top(101)).hasMessageContaining("between 1 and 100");
    }

    @Test
    void durationsAcceptUnitsAndRejectNonPositive() {
        assertThat(Durations.parsePositive("500ms").toMillis()).isEqualTo(500);
        assertThat(Durations.parsePositive("1.5s").toMillis()).isEqualTo(1500);
        assertThat(Durations.parsePositive("250").toMillis()).isEqualTo(250);
        assertThatThrownBy(() -> Durations.parsePositive("0")).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Durations.parsePositive("-2s")).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Durations.parsePositive("soon")).hasMessageContaining("is not a duration");
    }
}
