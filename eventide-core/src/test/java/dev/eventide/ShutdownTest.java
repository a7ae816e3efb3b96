package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** close(): tasks cancelled with their finally blocks run, and no thread left behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    private static List<Thread> threadsNamed(String prefix) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    /** Never ready: only cancellation ends an await of it. */
    private static final Future<Void> NEVER = cx -> Poll.pending();

    @Test
    void closeWithTenThousandPendingTasksRunsTheirFinallyBlocksAndLeavesNoThread() throws Exception {
        AtomicInteger finallyRan = new AtomicInteger();
        CountDownLatch allStarted = new CountDownLatch(10_000);
        Eventide rt = Eventide.builder().workerThreads(2).threadNamePrefix("shutdown-a").build();
        List<JoinHandle<Void>> hs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            hs.add(rt.handle().spawn(() -> {
                try {
                    allStarted.countDown();
                    NEVER.await();
                } finally {
                    finallyRan.incrementAndGet();
                }
            }));
        }
        CountDownLatch blockingStarted = new CountDownLatch(1);
        rt.handle().spawnBlocking(() -> {
            blockingStarted.countDown();
            return null;
        });
        assertThat(allStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(blockingStarted.await(30, TimeUnit.SECONDS)).isTrue();
        // A task counts as alive from the end of its first poll, which may not have ended yet.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rt.aliveTasks() < 10_000 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(rt.aliveTasks()).isEqualTo(10_000);

        assertThat(rt.shutdownTimeout(Duration.ofSeconds(30))).isTrue();

        assertThat(finallyRan.get()).isEqualTo(10_000);
        assertThat(hs).allMatch(JoinHandle::isCancelled);
        assertThat(threadsNamed("shutdown-a")).isEmpty();
    }

    /**
     * A task is registered with the close's list of live tasks only at the end of its first poll:
     * one whose first poll is still running when the close begins must be waited for, cancelled
     * at the await it then suspends in, and its finally block run.
     */
    @Test
    void aTaskInItsFirstPollWhenTheCloseBeginsIsCancelledWithItsFinallyRun() throws Exception {
        Eventide rt = twoWorkersThatMayBlock("shutdown-f");
        CountDownLatch inFirstPoll = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finallyRan = new AtomicInteger();
        JoinHandle<Void> h = rt.handle().spawn(() -> {
            try {
                inFirstPoll.countDown();
                release.await(); // holds the worker inside the first poll on purpose
                NEVER.await(); // the first suspension: the task registers as the poll ends
            } finally {
                finallyRan.incrementAndGet();
            }
            return null;
        });
        assertThat(inFirstPoll.await(30, TimeUnit.SECONDS)).isTrue();
        boolean[] closedInTime = new boolean[1];
        Thread closer = Thread.ofPlatform().start(() -> closedInTime[0] = rt.shutdownTimeout(Duration.ofSeconds(30)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!rt.isClosed() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown(); // the close has begun: let the first poll end
        closer.join(TimeUnit.SECONDS.toMillis(40));
        assertThat(closer.isAlive()).isFalse();
        assertThat(closedInTime[0]).isTrue();
        assertThat(h.isCancelled()).isTrue();
        assertThat(finallyRan.get()).isEqualTo(1);
        assertThat(threadsNamed("shutdown-f")).isEmpty();
    }

    /**
     * One worker blocked in a poll past the close's timeout, with a task that first ran on it,
     * registered there, waiting: the close gives up on the blocked worker, but cancels that task
     * (on the other worker, which takes it), its finally block run, while it waits.
     */
    @Test
    void aBlockedWorkerDoesNotHoldUpTheCancellationOfTasksThatRanOnIt() throws Exception {
        Eventide rt = twoWorkersThatMayBlock("shutdown-g");
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finallyRan = new AtomicInteger();
        AtomicReference<JoinHandle<Void>> waiter = new AtomicReference<>();
        rt.handle().spawn(() -> {
            waiter.set(Eventide.spawn(() -> { // into this worker's LIFO slot: its first poll runs here
                try {
                    waiting.countDown();
                    NEVER.await();
                } finally {
                    finallyRan.incrementAndGet();
                }
            }));
            Eventide.yieldNow().await(); // let it run and suspend
            blocking.countDown();
            release.await(); // holds this worker past the close's timeout, on purpose
            return null;
        });
        assertThat(waiting.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(blocking.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(rt.shutdownTimeout(Duration.ofMillis(500))).as("the blocked worker outlives the timeout").isFalse();
            assertThat(waiter.get().isCancelled()).isTrue();
            assertThat(finallyRan.get()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    /**
     * A two-worker runtime whose tasks may hold their worker on purpose: no blocked-worker
     * monitor, so no compensating worker steps in and the close meets the worker as it is.
     */
    private static Eventide twoWorkersThatMayBlock(String threadNamePrefix) {
        return Eventide.builder().workerThreads(2).threadNamePrefix(threadNamePrefix)
                .blockedWorkerThreshold(Duration.ZERO).compensationThreshold(Duration.ZERO).build();
    }

    @Test
    void closeCancelsTasksThatWereNeverPolled() {
        Eventide rt = Eventide.currentThread();
        AtomicInteger ran = new AtomicInteger();
        JoinHandle<Void> h = rt.handle().spawn(() -> {
            ran.incrementAndGet();
        });
        rt.close();
        assertThat(h.isCancelled()).isTrue();
        assertThat(ran.get()).isZero();
    }

    @Test
    void aCurrentThreadRuntimeRunsCancellationsOnClose() {
        AtomicInteger finallyRan = new AtomicInteger();
        Eventide rt = Eventide.currentThread();
        rt.blockOn(() -> {
            for (int i = 0; i < 100; i++) {
                Eventide.spawn(() -> {
                    try {
                        NEVER.await();
                    } finally {
                        finallyRan.incrementAndGet();
                    }
                });
            }
            Eventide.yieldNow().await(); // let them all start
        });
        rt.close();
        assertThat(finallyRan.get()).isEqualTo(100);
    }

    @Test
    void spawnAfterCloseGivesACancelledHandle() {
        Eventide rt = Eventide.builder().workerThreads(1).build();
        rt.close();
        assertThat(rt.isClosed()).isTrue();
        JoinHandle<Integer> h = rt.handle().spawn(() -> 1);
        assertThat(h.isCancelled()).isTrue();
        assertThatThrownBy(h::join).isInstanceOf(CancelledException.class);
        JoinHandle<Integer> b = rt.handle().spawnBlocking(() -> 1);
        assertThat(b.isCancelled()).isTrue();
        rt.close(); // idempotent
    }

    @Test
    void closingFromInsideTheRuntimeIsRefused() {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            assertThatThrownBy(() -> rt.blockOn(() -> {
                rt.close();
                return null;
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("own worker threads");
        }
    }

    @Test
    void blockingJobsStillRunningAtTheTimeoutAreInterrupted() throws Exception {
        Eventide rt = Eventide.builder().workerThreads(1).threadNamePrefix("shutdown-b").build();
        CountDownLatch started = new CountDownLatch(1);
        JoinHandle<String> h = rt.handle().spawnBlocking(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // blocks until interrupted
                return "not interrupted";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        boolean clean = rt.shutdownTimeout(Duration.ofMillis(200));
        assertThat(clean).as("the job outlived the timeout").isFalse();
        assertThat(h.join()).isEqualTo("interrupted");
        assertThat(threadsNamed("shutdown-b")).isEmpty();
    }
}
