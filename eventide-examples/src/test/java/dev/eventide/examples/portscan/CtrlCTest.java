package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A real Ctrl-C: {@code portscan} runs in a child JVM, stuck on probes that would take 30 s;
 * SIGINT must stop it promptly with status 130, after printing what it found.
 */
@Timeout(60)
@EnabledOnOs({OS.LINUX, OS.MAC})
class CtrlCTest {
    @Test
    void sigintStopsTheScanAndPrintsThePartialReport() throws Exception {
        Path quietLogs = Files.createTempFile("ctrlc", ".properties");
        List<AutoCloseable> held = LoopbackPorts.fullBacklog();
        try (ServerSocket open = new ServerSocket(0, 50, LoopbackPorts.LOOPBACK)) {
            int filtered = ((ServerSocket) held.getFirst()).getLocalPort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // The runtime's own log records off: on a loaded machine the child's blocked-worker
            // monitor may log a warning, which would shift the lines this test reads.
            Files.writeString(quietLogs, "handlers=java.util.logging.ConsoleHandler\ndev.eventide.level=OFF\n");
            List<String> cmd = new java.util.ArrayList<>(defaultSigint());
            cmd.addAll(List.of(java, "-Djava.util.logging.config.file=" + quietLogs,
                    "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), PortScan.class.getName(),
                    "--verbose", "--timeout", "30s", "--retries", "0", "-p", open.getLocalPort() + "," + filtered, "127.0.0.1"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String first = out.readLine();
                assertThat(first).startsWith("Scanning 127.0.0.1");
                // The open port answers at once; the filtered one would keep the scan going for 30 s.
                assertThat(out.readLine()).isEqualTo("Discovered open port " + open.getLocalPort() + "/tcp on 127.0.0.1");
                long start = System.nanoTime();
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
                assertThat(kill.waitFor()).isZero();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited after SIGINT").isTrue();
                long ms = (System.nanoTime() - start) / 1_000_000;
                String rest = String.join("\n", out.lines().toList());
                assertThat(p.exitValue()).as(rest).isEqualTo(PortScan.INTERRUPTED);
                assertThat(rest).contains("interrupted (Ctrl-C)").contains("Interrupted after")
                        .containsPattern(open.getLocalPort() + "/tcp +open")
                        .contains("Interrupted after 1 of 2 ports");
                assertThat(ms).as("milliseconds from SIGINT to exit").isLessThan(5_000);
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(quietLogs);
            }
        } finally {
            for (AutoCloseable c : held) {
                c.close();
            }
        }
    }

    /**
     * A prefix that starts the child with SIGINT at its default disposition: a test suite run in
     * the background by a shell (or under nohup) ignores SIGINT, a child would inherit that, and
     * Ctrl-C could never reach it. GNU env's {@code --default-signal} (coreutils 8.31+) resets it.
     */
    private static List<String> defaultSigint() throws Exception {
        Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0 ? List.of("env", "--default-signal=INT") : List.of();
    }
}
