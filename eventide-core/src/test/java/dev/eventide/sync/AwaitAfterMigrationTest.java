package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression test for a defect found while benchmarking the channels: once an async block's
 * loop was compiled by C2, {@code await()} inlined a {@code Thread.currentThread()} that C2
 * treats as constant for the whole compiled frame, so a block that resumed on another worker
 * used the first worker's context (threw "outside an async block", or suspended on behalf of
 * another task). The runtime now reads the thread through {@code ExecContext.currentThread()},
 * which the JIT cannot cache; this hot loop of 4 million migrating awaits must complete.
 */
@Timeout(60)
class AwaitAfterMigrationTest {

    @Test
    void hotAwaitLoopSurvivesMovingBetweenWorkers() throws Exception {
        final int tasks = 4;
        final int yields = 1_000_000;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                hs.add(rt.handle().spawn(() -> {
                    int n = 0;
                    for (int i = 0; i < yields; i++) {
                        Eventide.yieldNow().await(); // may resume on the other worker
                        n++;
                    }
                    return n;
                }));
            }
            for (JoinHandle<Integer> h : hs) {
                assertThat(h.toCompletableFuture().get(45, TimeUnit.SECONDS)).isEqualTo(yields);
            }
        }
    }
}
