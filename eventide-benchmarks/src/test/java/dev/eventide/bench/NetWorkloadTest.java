package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * W10 and W11 as the harness runs them: the clients' output parsed (and runs with errors refused),
 * a server in its own JVM measured by the real client (echoload built from the shipped source,
 * wrk from the PATH) or, where the tool is missing, the workload reported as skipped with the
 * reason; and the servers' processes gone afterwards.
 */
class NetWorkloadTest {
    private static final String WRK_OK = """
            Running 1s test @ http://127.0.0.1:40000/
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   512.31us  120.40us   3.10ms   90.00%
                Req/Sec   120.50k     3.20k  125.00k    70.00%
              Latency Distribution
                 50%  488.00us
                 75%  540.00us
                 90%  610.00us
                 99%    1.25ms
              119876 requests in 1.00s, 8.92MB read
            Requests/sec: 119800.25
            Transfer/sec:      8.91MB
            """;

    @Test
    void wrkOutputGivesTheRateAndPercentilesInMicroseconds() {
        Map<String, Double> f = new Wrk().parse(WRK_OK);

        assertThat(f).containsExactly(Map.entry("rps", 119800.25), Map.entry("p50_us", 488.0), Map.entry("p75_us", 540.0),
                Map.entry("p90_us", 610.0), Map.entry("p99_us", 1250.0));
    }

    @Test
    void wrkRunsWithSocketErrorsOrBadStatusesAreInvalid() {
        String errors = WRK_OK.replace("Requests/sec", "  Socket errors: connect 0, read 3, write 0, timeout 0\nRequests/sec");
        String non2xx = WRK_OK.replace("Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec");

        assertThatThrownBy(() -> new Wrk().parse(errors)).isInstanceOf(LoadClient.InvalidRunException.class)
                .hasMessageContaining("invalid run").hasMessageContaining("read 3");
        assertThatThrownBy(() -> new Wrk().parse(non2xx)).isInstanceOf(LoadClient.InvalidRunException.class)
                .hasMessageContaining("12 non-2xx");
        assertThatThrownBy(() -> new Wrk().parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isInstanceOf(LoadClient.InvalidRunException.class);
    }

    @Test
    void echoloadLineGivesItsFiguresAndErrorsMakeTheRunInvalid() {
        String ok = "{\"conns\":100,\"size\":64,\"secs\":1,\"requests\":150000,\"rps\":150000.0,\"p50_us\":610,"
                + "\"p90_us\":900,\"p99_us\":1300,\"p999_us\":2100,\"max_us\":5000,\"errors\":0,\"connect_failures\":0}";

        assertThat(new Echoload().parse("echoload: note on stderr\n" + ok + "\n")).containsExactly(
                Map.entry("rps", 150000.0), Map.entry("p50_us", 610.0), Map.entry("p90_us", 900.0),
                Map.entry("p99_us", 1300.0), Map.entry("p999_us", 2100.0), Map.entry("max_us", 5000.0));
        assertThatThrownBy(() -> new Echoload().parse(ok.replace("\"errors\":0", "\"errors\":2")))
                .isInstanceOf(LoadClient.InvalidRunException.class).hasMessageContaining("2 errors");
        assertThatThrownBy(() -> new Echoload().parse(ok.replace("\"connect_failures\":0", "\"connect_failures\":100")))
                .isInstanceOf(LoadClient.InvalidRunException.class).hasMessageContaining("100 connect failures");
    }

    @Test
    void theServerChildGetsTheHarnessJavaTheWorkersAsParallelismAndAFixedHeap() {
        List<String> cmd = ServerProcess.command("W11", Sys.VTHREADS, 3);

        assertThat(cmd.get(0)).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
        assertThat(cmd).containsSubsequence("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED")
                .containsAll(ServerProcess.JVM_OPTIONS).contains("-Djdk.virtualThreadScheduler.parallelism=3")
                .endsWith(ServerProcess.class.getName(), "W11", "vthreads", "3", "0");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerChildListensAnswersAndExitsByItselfWhenItsInputEnds() throws Exception {
        // what happens when the harness dies without killing it: its end of the pipe closes
        Process p = new ProcessBuilder(ServerProcess.command("W10", Sys.EVENTIDE_POLL, 2))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).startsWith("listening ");
            NetWorkload.probe(NetServer.Protocol.ECHO, Integer.parseInt(line.substring("listening ".length())));

            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theRepositorysEcholoadSourceIsOnTheClassPath() throws Exception {
        byte[] shipped;
        try (var in = Echoload.class.getResourceAsStream("/c/echoload.c")) {
            assertThat(in).as("c/echoload.c on the class path").isNotNull();
            shipped = in.readAllBytes();
        }
        // tests run in the module's folder; the repository's copy is beside WORKLOADS.md
        Path original = Path.of("..", "bench", "echoload.c");
        assertThat(original).exists();
        assertThat(shipped).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void systemsTakeTurnsRunByRunAndEachGetsItsMedianMinAndMax() throws Exception {
        List<String> order = new java.util.ArrayList<>();
        List<String> closed = new java.util.ArrayList<>();
        NetWorkload w = new NetWorkload(new Echoload()) {
            @Override
            public String id() {
                return "W10";
            }

            @Override
            public String name() {
                return "fake_echo";
            }

            @Override
            List<String> figures() {
                return List.of("rps", "p99_us");
            }

            @Override
            String clientDescription(Size size) {
                return "none";
            }

            @Override
            public Trial open(Sys sys, int workers, Size size) {
                if (sys == Sys.NETTY_EPOLL) {
                    throw new SkippedException("no epoll in this test");
                }
                if (sys == Sys.FJP) {
                    throw new IllegalStateException("the server did not start");
                }
                return new Trial() {
                    private int run;

                    @Override
                    public double iteration() {
                        order.add(sys.key + "#" + run);
                        if (sys == Sys.VTHREADS && run == 2) {
                            throw new LoadClient.InvalidRunException("echoload reported 1 errors");
                        }
                        return 1000.0 * (sys.ordinal() + 1) + run++;
                    }

                    @Override
                    public Map<String, Double> extras() {
                        return Map.of("p99_us", 10.0 * run);
                    }

                    @Override
                    public void close() {
                        closed.add(sys.key);
                    }
                };
            }
        };
        List<Result> results = w.runInterleaved(List.of(Sys.values()), 2, Size.QUICK, 1, 3);

        assertThat(order).containsExactly(
                "eventide#0", "eventide-poll#0", "vthreads#0", "netty#0",
                "eventide#1", "eventide-poll#1", "vthreads#1", "netty#1",
                "eventide#2", "eventide-poll#2", "vthreads#2", "netty#2",
                "eventide#3", "eventide-poll#3", "netty#3");
        assertThat(results).extracting(r -> r.sys().key)
                .containsExactly("eventide", "eventide-poll", "fjp", "vthreads", "netty", "netty-epoll");
        Result eventide = results.getFirst();
        assertThat(eventide.values()).containsExactly(1001, 1002, 1003);
        assertThat(eventide.median()).isEqualTo(1002);
        assertThat(eventide.extraMedian("p99_us")).isEqualTo(30);
        assertThat(results.get(2).error()).contains("did not start");
        assertThat(results.get(3).error()).contains("invalid run");
        assertThat(results.get(5).skipReason()).contains("no epoll");
        assertThat(closed).containsExactlyInAnyOrder("eventide", "eventide-poll", "vthreads", "netty");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void quickW10AndW11OnEventideMeasureARealServerOrSayWhyNot(@TempDir Path root) throws Exception {
        Main.Options o = Main.Options.parse(new String[] {"--quick", "--only", "W10,W11", "--systems", "eventide",
                "--root", root.toString()});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Result> results = Main.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // the report goes to the test's output file, for whoever reads it
        System.out.println(bytes.toString(StandardCharsets.UTF_8));
        assertThat(results).hasSize(2);
        for (Result r : results) {
            String what = r.workload().id();
            assertThat(r.failed()).as(what + ": " + r.error()).isFalse();
            if (r.skipped()) {
                String tool = r.workload() instanceof W10TcpEcho ? "cc" : "wrk";
                assertThat(LoadClient.onPath(tool)).as(what + " skipped: " + r.skipReason()).isNull();
                assertThat(r.skipReason()).contains(tool);
                continue;
            }
            NetWorkload w = (NetWorkload) r.workload();
            assertThat(r.median()).as(what).isPositive();
            assertThat(r.extras().keySet()).as(what).containsExactlyElementsOf(w.figures());
            assertThat(r.extraMedian("p99_us")).as(what).isPositive().isGreaterThanOrEqualTo(r.extraMedian("p50_us"));
        }
        String md = Files.readString(root.resolve("bench-results/quick.md"));
        assertThat(md).contains("## Network (W10, W11): every figure").contains("| W10 p99_us | µs |")
                .contains("| W11 rps | req/s |").contains("171233").contains("144506");
        assertThat(Files.readAllLines(root.resolve("bench-results/quick.json")))
                .allSatisfy(line -> assertThat(line).contains("\"client\": ").contains("\"system\": \"eventide\""));
        // every server's JVM is gone
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(ServerProcess.class.getName()))
                .filter(ProcessHandle::isAlive).toList()).isEmpty();
    }
}
