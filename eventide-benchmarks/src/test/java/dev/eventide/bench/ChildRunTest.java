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
 * The full mode's way of running W8 and W9: one run in a fresh JVM whose figures come back to
 * the harness. Exercised here with the quick sizes (the full ones take a minute per run).
 */
class ChildRunTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aChildJvmRunsW9OnceAndReportsEveryFigure() throws Exception {
        W9IdleTasks w9 = new W9IdleTasks();
        Map<String, Double> figures = new ChildRun().run("W9", Sys.EVENTIDE_POLL, 2, Size.QUICK);

        assertThat(figures).containsKey(w9.valueKey()).containsKeys(w9.extraKeys().toArray(String[]::new));
        // the child's own process: its heap is not pre-touched, and 10,000 parked tasks hold live heap
        assertThat(figures.get("heap_bytes_per_task")).isPositive();
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
}
