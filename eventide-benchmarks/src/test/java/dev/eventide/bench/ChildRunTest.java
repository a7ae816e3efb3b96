package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The full mode's fresh JVMs: one run of W8 or W9 whose figures come back to the harness, and a
 * system's iterations of an iterative workload. Exercised here with the quick sizes (the full
 * ones take a minute per run).
 */
class ChildRunTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aChildJvmRunsW9OnceAndReportsEveryFigure() throws Exception {
        W9IdleTasks w9 = new W9IdleTasks();
        Map<String, Double> figures = new ChildRun().run("W9", Sys.EVENTIDE_POLL, 2, Size.QUICK);

        assertThat(figures).containsKey(w9.valueKey()).containsKeys(w9.extraKeys().toArray(String[]::new));
        // At the quick size (10,000 tasks, ~1.5 MB of live heap) the heap difference is within the
        // after-GC measurement's noise, so only its presence is checked; the full size is 1,000,000.
        assertThat(figures.get("heap_bytes_per_task")).isFinite();
        assertThat(figures.get("peak_rss_mib")).isPositive();
        assertThat(figures.get("wake_all_ms")).isPositive();
    }

    @Test
    void theChildUsesTheHarnessJavaClassPathExportAndFixedHeap() {
        List<String> cmd = ChildRun.command("W8", Sys.NETTY, 3, Size.FULL);

        assertThat(cmd.get(0)).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
        assertThat(cmd).containsSubsequence("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED")
                .containsAll(SingleRunWorkload.CHILD_JVM_OPTIONS)
                .containsSubsequence("-cp", System.getProperty("java.class.path"))
                .endsWith(ChildRun.class.getName(), "W8", "netty", "3", "full");
        assertThat(cmd).noneMatch(a -> a.contains("AlwaysPreTouch"));
    }

    @Test
    void figuresSurviveTheRoundTripAndGarbageIsRefused() {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("wall_ms", 1234.5);
        f.put("p50_lateness_ms", 0.25);
        f.put("bytes_per_task", -3.0);

        assertThat(ChildRun.parse(ChildRun.format(f))).containsExactlyEntriesOf(f);
        assertThatThrownBy(() -> ChildRun.parse("Exception in thread main"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Exception in thread main");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aChildJvmRunsASystemsIterationsAndReportsEachOne() throws Exception {
        W6ChainedSpawn w6 = new W6ChainedSpawn();
        Result r = new ChildRun().runIterations(w6, Sys.EVENTIDE_POLL, 2, Size.QUICK, 2, 0, 5,
                TimeUnit.SECONDS.toNanos(10));

        assertThat(r.failed()).as("error: %s", r.error()).isFalse();
        assertThat(r.skipped()).isFalse();
        assertThat(r.workload()).isSameAs(w6);
        assertThat(r.sys()).isEqualTo(Sys.EVENTIDE_POLL);
        assertThat(r.warmup()).isEqualTo(2);
        assertThat(r.values()).hasSize(5);
        assertThat(java.util.Arrays.stream(r.values()).min().orElseThrow()).isPositive();
    }

    @Test
    void theIterationsChildUsesTheHarnessJvmOptionsAndItsArguments() {
        List<String> cmd = ChildRun.iterationsCommand(new W4YieldMany(), Sys.NETTY, 3, Size.FULL, 30, 2_000, 100, 9);

        assertThat(cmd.get(0)).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
        assertThat(cmd).containsSubsequence(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                .containsSubsequence("-cp", System.getProperty("java.class.path"))
                .endsWith(ChildRun.class.getName(), ChildRun.ITERATE, "W4", "netty", "3", "full", "30", "2000", "100", "9");
    }

    @Test
    void anIterationsResultSurvivesTheRoundTripAndAFailureOrSilenceFailsThePair() {
        W4YieldMany w4 = new W4YieldMany();
        String out = "some line the workload printed\n"
                + ChildRun.RESULT_LINE + "ok 31\n"
                + ChildRun.RESULT_LINE + "value 1.5,2.25,1.0E9\n"
                + ChildRun.RESULT_LINE + "extra p99_us 3.0,NaN,4.5\n";

        Result r = ChildRun.parseResult(w4, Sys.FJP, Size.FULL, out);
        assertThat(r.failed()).isFalse();
        assertThat(r.warmup()).isEqualTo(31);
        assertThat(r.values()).containsExactly(1.5, 2.25, 1.0e9);
        assertThat(r.extras().get("p99_us")).containsExactly(3.0, Double.NaN, 4.5);

        Result failed = ChildRun.parseResult(w4, Sys.FJP, Size.FULL, ChildRun.RESULT_LINE + "failed starved for 10 s\n");
        assertThat(failed.error()).isEqualTo("starved for 10 s");
        Result skipped = ChildRun.parseResult(w4, Sys.NETTY_EPOLL, Size.FULL, ChildRun.RESULT_LINE + "skipped no epoll\n");
        assertThat(skipped.skipReason()).isEqualTo("no epoll");
        Result silent = ChildRun.parseResult(w4, Sys.FJP, Size.FULL, "Exception in thread main\n");
        assertThat(silent.error()).contains("printed no result").contains("Exception in thread main");
    }
}
