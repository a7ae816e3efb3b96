package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** spawnBlocking's elastic pool and blockInPlace. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingPoolTest {

    @Test
    void growsToItsBoundQueuesBeyondItAndShrinksAfterTheKeepAlive() throws Exception {
        CountDownLatch retired = new CountDownLatch(4);
        try (Eventide rt = Eventide.builder().workerThreads(1).maxBlockingThreads(4)
                .blockingKeepAlive(Duration.ofMillis(200))
                .onThreadStop(t -> {
                    if (t.getName().contains("-blocking-")) {
                        retired.countDown();
                    }
                }).build()) {
            CountDownLatch running = new CountDownLatch(4);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int k = i;
                hs.add(rt.handle().spawnBlocking(() -> {
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    running.countDown();
                    release.await();
                    concurrent.decrementAndGet();
                    return k;
                }));
            }
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(rt.blockingThreads()).isEqualTo(4);
            release.countDown();
            int sum = 0;
            for (JoinHandle<Integer> h : hs) {
                sum += h.join();
            }
            assertThat(sum).isEqualTo(45);
            assertThat(maxConcurrent.get()).isEqualTo(4);
            // idle for the keep-alive, every thread retires
            assertThat(retired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(rt.blockingThreads()).isZero();
        }
    }

    @Test
    void reusesIdleThreadsInsteadOfStartingNewOnes() {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            for (int i = 0; i < 200; i++) {
                rt.handle().spawnBlocking(() -> 1).join();
            }
            assertThat(rt.blockingThreads()).isEqualTo(1);
        }
    }

    @Test
    void aBlockingJobAbortedBeforeItStartsNeverRuns() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1).maxBlockingThreads(1).build()) {
            CountDownLatch release = new CountDownLatch(1);
            JoinHandle<Boolean> busy = rt.handle().spawnBlocking(() -> release.await(10, TimeUnit.SECONDS));
            AtomicBoolean ran = new AtomicBoolean();
            JoinHandle<Object> queued = rt.handle().spawnBlocking(() -> {
                ran.set(true);
                return null;
            });
            queued.abort();
            release.countDown();
            assertThat(busy.join()).isTrue();
            assertThat(queued.isCancelled()).isTrue();
            assertThat(ran).isFalse();
        }
    }

    @Test
    void blockInPlaceHandsTheQueueToAnotherThread() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            boolean queuedTaskRan = rt.blockOn(() -> {
                CountDownLatch ran = new CountDownLatch(1);
                Eventide.spawn(ran::countDown); // queued behind us on the only worker
                // Without the hand-off this would wait forever: nobody else could run that task.
                return Eventide.blockInPlace(() -> ran.await(20, TimeUnit.SECONDS));
            });
            assertThat(queuedTaskRan).isTrue();
            // the runtime keeps its one worker afterwards
            assertThat(rt.blockOn(() -> Eventide.spawn(() -> 5).await())).isEqualTo(5);
        }
    }
}
