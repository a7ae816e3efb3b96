package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Concurrency is clamped to what the file-descriptor limit allows, with a message. */
@Timeout(60)
class FdLimitTest {
    @Test
    void limitLessOpenLessMarginHalved() {
        assertThat(FdLimit.fromLimits(1024, 40)).isEqualTo((1024 - 40 - FdLimit.MARGIN) / 2);
        assertThat(FdLimit.fromLimits(100, 90)).isEqualTo(1);
        assertThat(FdLimit.fromLimits(-1, 0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(FdLimit.maxConcurrency()).isPositive();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void lowUlimitLowersTheConcurrencyAndSaysSo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "ulimit -n 512 && exec \"$0\" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp \"$1\" "
                + PortScan.class.getName() + " -c 5000 -p 1-50 127.0.0.1";
        Process p = new ProcessBuilder("bash", "-c", cmd, java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("concurrency lowered from 5000 to \\d+ to fit the file-descriptor limit")
                .contains("Scanned 50 ports on 1 host");
    }
}
