package dev.eventide.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime demo (./eventide run runtime-demo; the main job is now the port scanner's demo) must pass its own checks. */
class RuntimeDemoTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void demoPassesItsOwnChecks() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = RuntimeDemo.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("FAIL").contains("demo: all checks passed");
        assertThat(status).as(out).isZero();
    }

    @Test
    void demoRejectsArguments() throws Exception {
        assertThat(RuntimeDemo.run(new String[] {"--bogus"}, System.out)).isEqualTo(2);
    }
}
