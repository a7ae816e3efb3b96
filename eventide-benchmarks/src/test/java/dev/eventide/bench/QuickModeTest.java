package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the harness's quick mode over every workload and system, as CI does on every build, so
 * that the harness cannot rot: every pair produces figures or fails by the starvation rule only,
 * or is skipped for want of a tool ({@code cc}, {@code wrk}) or of Netty's epoll transport;
 * Eventide never fails, and both output files are written.
 */
class QuickModeTest {
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void quickModeRunsEveryWorkloadOnEverySystem(@TempDir Path root) throws Exception {
        Main.Options o = Main.Options.parse(new String[] {"--quick", "--root", root.toString()});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Result> results = Main.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int pairs = 0;
        for (Workload w : Workloads.all()) {
            pairs += w.systems().size();
        }
        assertThat(results).hasSize(pairs);
        for (Result r : results) {
            String what = r.workload().id() + " on " + r.sys().key;
            if (r.skipped()) {
                // only for want of a tool or a transport here, never on a whim
                assertThat(r.skipReason()).as(what).isNotBlank();
                boolean noEpoll = r.sys() == Sys.NETTY_EPOLL && !io.netty.channel.epoll.Epoll.isAvailable();
                boolean noTool = r.workload() instanceof W10TcpEcho ? LoadClient.onPath("cc") == null
                        : r.workload() instanceof NetWorkload && LoadClient.onPath("wrk") == null;
                assertThat(noEpoll || noTool).as(what + " skipped: " + r.skipReason()).isTrue();
                continue;
            }
            if (r.failed()) {
                assertThat(r.sys().isEventide()).as(what + " failed: " + r.error()).isFalse();
                assertThat(r.error()).as(what).contains("starved");
                continue;
            }
            assertThat(r.values()).as(what).hasSize(r.workload().timedIterations(Size.QUICK));
            if (r.workload() instanceof SingleRunWorkload sw) {
                // in-process in quick mode: the pre-touched heap makes RSS growth meaningless (even 0),
                // but every figure is there, and the parked tasks' live heap is not nothing
                assertThat(r.extras()).as(what).containsKey(sw.valueKey()).containsKeys(sw.extraKeys().toArray(String[]::new));
                r.extras().values().forEach(v -> assertThat(Arrays.stream(v).boxed().toList()).as(what).hasSize(1).allMatch(Double::isFinite));
                if (sw instanceof W9IdleTasks) {
                    assertThat(r.extraMedian("heap_bytes_per_task")).as(what).isPositive();
                    assertThat(r.extraMedian("wake_all_ms")).as(what).isPositive();
                } else {
                    assertThat(r.median()).as(what).isPositive();
                }
                continue;
            }
            if (r.workload() instanceof NetWorkload net) {
                // a 1 s run against a server in its own JVM: a rate, and every latency figure
                assertThat(r.extras().keySet()).as(what).containsExactlyElementsOf(net.figures());
                assertThat(r.extraMedian("p99_us")).as(what).isPositive();
            }
            assertThat(r.min()).as(what).isPositive().isLessThanOrEqualTo(r.median());
            assertThat(r.median()).as(what).isLessThanOrEqualTo(r.max());
            assertThat(Double.isFinite(r.max())).as(what).isTrue();
        }

        String md = Files.readString(root.resolve("bench-results/quick.md"));
        for (Workload w : Workloads.all()) {
            assertThat(md).contains("| " + w.id() + " " + w.name() + " |");
        }
        assertThat(md).contains("## Network (W10, W11): every figure").contains("| W11 p99_us | µs |");
        assertThat(md).contains("## Memory and timers (W8, W9)").contains("| W9 bytes_per_task | bytes/task |")
                .contains("| W8 peak_rss_mib | MiB |");
        assertThat(md).contains("CPUs (nproc)").contains("JDK: " + Runtime.version()).contains("measured separately");
        assertThat(md).contains("- Processes: W1–W7 run every system in the harness's one JVM");
        List<String> json = Files.readAllLines(root.resolve("bench-results/quick.json"));
        assertThat(json).hasSize(pairs).allSatisfy(line -> assertThat(line)
                .startsWith("{\"workload\": ").contains("\"unit\": ").contains("\"value\": ").endsWith("}"));
        assertThat(json).filteredOn(line -> line.contains("\"id\": \"W4\""))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("\"process\": \"the harness's JVM\""));
        assertThat(root.resolve("docs")).doesNotExist();
    }

    @Test
    void fullRunPublishesToDocsPartialRunsDoNot() {
        Path root = Path.of("repo");
        assertThat(Main.Options.parse(new String[] {"--root", "repo"}).markdown).isEqualTo(root.resolve("docs/benchmarks.md"));
        assertThat(Main.Options.parse(new String[] {"--root", "repo", "--only", "W1"}).markdown)
                .isEqualTo(root.resolve("bench-results/partial.md"));
        assertThat(Main.Options.parse(new String[] {"--root", "repo", "--quick"}).json)
                .isEqualTo(root.resolve("bench-results/quick.json"));
    }

    @Test
    void fullRunsForkAJvmPerSystemUnlessToldToShareOne() {
        assertThat(Main.Options.parse(new String[0]).forkPerSystem()).isTrue();
        assertThat(Main.Options.parse(new String[] {"--only", "W4"}).forkPerSystem()).isTrue();
        assertThat(Main.Options.parse(new String[] {"--shared-jvm"}).forkPerSystem()).isFalse();
        assertThat(Main.Options.parse(new String[] {"--quick"}).forkPerSystem()).isFalse();
    }

    @Test
    void badOptionsAreNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(new String[] {"--workers", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--workers");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Options.parse(new String[] {"--systems", "tokio"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokio");
    }
}
