package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * W4's shape (200 async blocks yielding 1,000 times each, on 2 stealing workers), repeated: every
 * task must finish every time. Found by the harness: W4 with async blocks stalls within a few
 * iterations once the JIT has compiled the block (workers parked, tasks alive, none failed), and
 * without on-stack replacement a block's {@code await()} even throws "called outside an async
 * block". Both fit compiled code that keeps {@code Thread.currentThread()} across the
 * continuation's yield, so that after a resume on another worker {@code ExecContext.current()}
 * answers the previous worker's context. Poll-based futures, one worker, or
 * {@code workStealing(false)} do not show it.
 */
class AsyncBlockMigrationTest {
    private static final int TASKS = 200;
    private static final int YIELDS = 1_000;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void yieldingBlocksAllFinishWhenTheyMigrateBetweenWorkers() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            for (int iteration = 0; iteration < 40; iteration++) {
                CountDownLatch finished = new CountDownLatch(TASKS);
                List<JoinHandle<Void>> handles = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    handles.add(rt.handle().spawn(() -> {
                        for (int y = 0; y < YIELDS; y++) {
                            Eventide.yieldNow().await();
                        }
                        finished.countDown();
                    }));
                }
                boolean all = finished.await(10, TimeUnit.SECONDS);
                long done = handles.stream().filter(JoinHandle::isFinished).count();
                assertThat(all).as("iteration %d: %d of %d tasks finished within 10 s, %d still alive",
                        iteration, done, TASKS, rt.aliveTasks()).isTrue();
                for (JoinHandle<Void> h : handles) {
                    h.join(); // rethrows a task's failure
                }
            }
        }
    }
}
