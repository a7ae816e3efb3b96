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
 * Regression test: W4's shape (200 async blocks yielding 1,000 times each, on 2 stealing
 * workers), repeated; every task must finish every time. The harness found W4 stalling once the
 * JIT had compiled the block: compiled code kept {@code Thread.currentThread()} across the
 * continuation's yield, so after a resume on another worker the runtime consulted the previous
 * worker's context and registered the wrong waker. The runtime now reads the thread through
 * {@code ExecContext.currentThread()}, which the JIT cannot cache (see its javadoc).
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
