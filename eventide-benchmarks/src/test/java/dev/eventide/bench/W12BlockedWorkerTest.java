package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * W12 (blocked worker) in quick mode, through the harness as {@code ./eventide bench --quick
 * --only W12} runs it: every scenario of every system produces sane figures (pings completed,
 * one block, ordered percentiles) and the report shows them. No timing target is asserted: the
 * figures depend on the machine and on whether compensation has landed.
 */
class W12BlockedWorkerTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void quickRunGivesSaneFiguresForEveryScenario(@TempDir Path root) throws Exception {
        Main.Options o = Main.Options.parse(new String[] {"--quick", "--only", "W12", "--root", root.toString()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Result> results = Main.run(o, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).extracting(Result::sys).containsExactlyInAnyOrder(Sys.EVENTIDE, Sys.VTHREADS);
        for (Result r : results) {
            assertThat(r.failed()).as(r.sys().key + ": " + r.error()).isFalse();
            for (W12BlockedWorker.Scenario sc : W12BlockedWorker.scenarios(r.sys())) {
                String what = r.sys().key + " " + sc.key();
                double pings = r.extraMedian(sc.key() + "_pings");
                double p50 = r.extraMedian(sc.key() + "_p50_ms");
                double p99 = r.extraMedian(sc.key() + "_p99_ms");
                double max = r.extraMedian(sc.key() + "_max_ms");
                assertThat(pings).as(what + " pings").isPositive();
                // quick mode's window holds exactly one block
                assertThat(r.extraMedian(sc.key() + "_blocks")).as(what + " blocks").isEqualTo(1.0);
                assertThat(r.extraMedian(sc.key() + "_gc_pauses")).as(what + " GC pauses").isNotNegative();
                assertThat(r.extraMedian(sc.key() + "_gc_pause_ms")).as(what + " GC pause ms").isNotNegative();
                double compensations = r.extraMedian(sc.key() + "_compensations");
                if (r.sys() == Sys.VTHREADS || sc.compensation().isZero()) {
                    assertThat(compensations).as(what + " compensations, with none possible").isZero();
                } else {
                    assertThat(compensations).as(what + " compensations").isNotNegative();
                }
                // figures are ms with 3 decimals: a p50 under 0.5 µs would read 0
                assertThat(p50).as(what + " p50").isNotNegative().isLessThanOrEqualTo(p99);
                assertThat(p99).as(what + " p99").isLessThanOrEqualTo(max);
                assertThat(max).as(what + " max").isPositive();
            }
            // the main table's value is the first (headline) scenario's p99
            String headline = W12BlockedWorker.scenarios(r.sys()).getFirst().key();
            assertThat(r.median()).as(r.sys().key).isEqualTo(r.extraMedian(headline + "_p99_ms"));
        }

        String md = Files.readString(root.resolve("bench-results/quick.md"));
        assertThat(md).contains("| W12 blocked_worker |").contains("## Blocked worker (W12)")
                .contains("busy-spin 200 ms, work stealing, compensation off")
                .contains("Thread.sleep(200), thread-per-core, compensation on (20 ms)");
        assertThat(md).doesNotContain("| W12 p99_ms |"); // not in the W8/W9 table
        List<String> json = Files.readAllLines(root.resolve("bench-results/quick.json"));
        assertThat(json).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("\"id\": \"W12\"").contains("_p99_ms\": ").contains("\"unit\": \"ms\"")
                .contains("fresh JVM per run: ").contains("-Djdk.virtualThreadScheduler.parallelism=2"));
    }

    @Test
    void theChildRunSetsTheVirtualThreadSchedulersParallelism() {
        List<String> cmd = ChildRun.command("W12", Sys.VTHREADS, 8, Size.QUICK);

        assertThat(cmd).containsSubsequence(SingleRunWorkload.CHILD_JVM_OPTIONS.getLast(),
                "-Djdk.virtualThreadScheduler.parallelism=2", "-cp");
        assertThat(cmd).endsWith(ChildRun.class.getName(), "W12", "vthreads", "8", "quick");
    }

    @Test
    void percentilesAreByNearestRank() {
        long[] sorted = new long[200];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = (i + 1) * 1_000_000L; // 1 ms .. 200 ms
        }

        assertThat(W12BlockedWorker.rank(sorted, 0.50)).isEqualTo(100.0);
        assertThat(W12BlockedWorker.rank(sorted, 0.99)).isEqualTo(198.0);
        assertThat(W12BlockedWorker.rank(new long[] {7_000_000L}, 0.99)).isEqualTo(7.0);
    }
}
