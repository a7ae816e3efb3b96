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
 * A core defect found while benchmarking the channels, kept here as a failing test until the
 * core is fixed (reported to the lead).
 *
 * <p>When an async block's loop is hot enough for C2 to compile it, {@code await()} inlines
 * {@code ExecContext.current()}, whose {@code Thread.currentThread()} C2 treats as constant for
 * the whole compiled frame (true for virtual threads, whose frames never change thread). A raw
 * continuation that suspends on one worker and resumes on another (after a steal) then keeps
 * using the first worker's context: {@code await()} throws "called on a runtime worker thread
 * outside an async block", or suspends on behalf of another task. With
 * {@code -XX:CompileCommand=dontinline,dev.eventide.runtime.ExecContext::current} it passes.
 */
@Timeout(60)
class AwaitAfterMigrationTest {

    @Test
    void hotAwaitLoopSurvivesMovingBetweenWorkers() throws Exception {
        final int tasks = 4;
        final int yields = 2_000_000;
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
                assertThat(h.toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(yields);
            }
        }
    }
}
