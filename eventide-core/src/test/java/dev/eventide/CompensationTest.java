package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compensation: the tasks queued behind a worker blocked in one poll are run by a temporary
 * worker, which retires when the poll returns.
 */
@Timeout(60)
class CompensationTest {

    private static long compensatorThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix + "-compensator-")).count();
    }

    /** Waits (bounded) for the compensators to retire: the end of the blocked poll wakes them. */
    private static void awaitNoCompensator(Eventide rt, String prefix) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rt.metrics().compensatingWorkers() != 0 || compensatorThreads(prefix) != 0) {
            assertThat(System.nanoTime()).as("compensators still running 10 s after the block ended").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void tasksQueuedBehindASleepingWorkerKeepRunningAndTheWorkerCountReturnsToNormal() throws Exception {
        String prefix = "comp-sleep";
        BlockingQueue<BlockedWorkerIncident> incidents = new LinkedBlockingQueue<>();
        int queued = 20;
        AtomicBoolean sleeping = new AtomicBoolean();
        AtomicInteger ranDuringSleep = new AtomicInteger();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        // One worker: no other worker could steal the queued tasks, so only compensation runs them.
        try (Eventide rt = Eventide.builder().workerThreads(1).threadNamePrefix(prefix)
                .blockedWorkerThreshold(Duration.ofMillis(20)).compensationThreshold(Duration.ofMillis(40)).build()) {
            rt.addBlockedWorkerListener(incidents::add);
            rt.blockOn(() -> Eventide.spawn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < queued; i++) {
                    long spawnedAt = System.nanoTime();
                    hs.add(Eventide.spawn(() -> {
                        latencies.add(System.nanoTime() - spawnedAt);
                        if (sleeping.get()) {
                            ranDuringSleep.incrementAndGet();
                        }
                    }));
                }
                sleeping.set(true);
                Thread.sleep(500); // the mistake: it blocks the only worker
                sleeping.set(false);
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return null;
            }).await());
            assertThat(ranDuringSleep).as("queued tasks that ran while the worker slept").hasValue(queued);
            assertThat(latencies).hasSize(queued).allSatisfy(l -> assertThat(l).isLessThan(TimeUnit.MILLISECONDS.toNanos(450)));
            BlockedWorkerIncident incident = incidents.poll(10, TimeUnit.SECONDS);
            assertThat(incident).isNotNull();
            assertThat(incident.toString()).contains("Thread.sleep");
            awaitNoCompensator(rt, prefix);
            RuntimeMetrics m = rt.metrics();
            assertThat(m.compensations()).isEqualTo(1);
            assertThat(m.workers()).isEqualTo(1);
        }
        assertThat(compensatorThreads(prefix)).isZero();
    }

    @Test
    void theLifoTaskOfABlockedWorkerIsRescued() throws Exception {
        // With two workers the idle one steals from the queue, but never the LIFO slot: the task
        // the blocked one spawned last sits there until compensation takes it.
        try (Eventide rt = Eventide.builder().workerThreads(2).compensationThreshold(Duration.ofMillis(5)).build()) {
            boolean ran = rt.blockOn(() -> Eventide.spawn(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                Eventide.spawn(latch::countDown); // into this worker's LIFO slot
                return latch.await(20, TimeUnit.SECONDS); // blocks the worker until the task runs
            }).await());
            assertThat(ran).isTrue();
            assertThat(rt.metrics().compensations()).isPositive();
        }
    }

    /** Spins for {@code millis} on the calling thread; returns the share of it spent on a CPU. */
    private static double spinAndMeasureCpuShare(long millis) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return (double) (mx.getCurrentThreadCpuTime() - cpu0) / (System.nanoTime() - t0);
    }

    @Test
    void aComputingWorkerIsLeftToTheStealersAndOnlyItsLifoTaskIsMoved() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).compensationThreshold(Duration.ofMillis(50)).build()) {
            // Computing with nothing in its LIFO slot: its CPU is busy, and the other worker can
            // reach everything else; a compensator would only time-share a CPU.
            double share = rt.handle().spawn(() -> spinAndMeasureCpuShare(300)).join();
            org.junit.jupiter.api.Assumptions.assumeTrue(share > 0.8,
                    "the spinning thread got only " + share + " of a CPU (a loaded machine): nothing to check");
            assertThat(rt.metrics().compensations()).as("compensators for a computing worker").isZero();
            // Computing with a task in its LIFO slot, which no stealer reaches: the monitor moves
            // it to the global queue, where the other worker runs it; still no compensator.
            boolean ran = rt.handle().spawn(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                Eventide.spawn(latch::countDown); // into this worker's LIFO slot
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (latch.getCount() != 0 && System.nanoTime() < end) {
                    Thread.onSpinWait(); // computes until the LIFO task has run
                }
                return latch.getCount() == 0;
            }).join();
            assertThat(ran).isTrue();
            assertThat(rt.metrics().compensations()).as("compensators for a computing worker").isZero();
        }
    }

    @Test
    void withoutCompensationTheLifoTaskWaitsForTheBlockedPoll() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).compensationThreshold(Duration.ZERO).build()) {
            boolean[] result = rt.blockOn(() -> Eventide.spawn(() -> {
                CountDownLatch latch = new CountDownLatch(1);
                JoinHandle<Void> h = Eventide.spawn(latch::countDown);
                boolean during = latch.await(300, TimeUnit.MILLISECONDS); // nobody can run the LIFO task
                h.await(); // once this poll yields, the worker runs it
                return new boolean[] {during, latch.getCount() == 0};
            }).await());
            assertThat(result[0]).as("ran while its worker was blocked").isFalse();
            assertThat(result[1]).as("ran after").isTrue();
            assertThat(rt.metrics().compensations()).isZero();
        }
    }

    @Test
    void threadPerCoreWorkersAreCompensatedToo() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).workStealing(false)
                .compensationThreshold(Duration.ofMillis(5)).build()) {
            int n = 50;
            boolean ran = rt.blockOn(() -> Eventide.spawn(() -> {
                CountDownLatch latch = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    Eventide.spawn(() -> {
                        Eventide.yieldNow().await(); // and wakes go back to the blocked worker's inbox
                        latch.countDown();
                    });
                }
                return latch.await(20, TimeUnit.SECONDS);
            }).await());
            assertThat(ran).isTrue();
        }
    }

    @Test
    void whenEveryWorkerIsBlockedCompensatorsRunRemoteWork() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).compensationThreshold(Duration.ofMillis(5)).build()) {
            CountDownLatch bothBlocked = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<JoinHandle<Boolean>> blockers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                blockers.add(rt.handle().spawn(() -> {
                    bothBlocked.countDown();
                    return release.await(20, TimeUnit.SECONDS);
                }));
            }
            assertThat(bothBlocked.await(10, TimeUnit.SECONDS)).isTrue();
            // Spawned from outside while both workers block: only compensators can run it.
            rt.handle().spawn(release::countDown);
            for (JoinHandle<Boolean> b : blockers) {
                assertThat(b.join()).isTrue();
            }
        }
    }

    @RepeatedTest(3)
    void stressRandomBlockingSpawningAndAborts() throws Exception {
        String prefix = "comp-stress";
        int tasks = 400;
        AtomicIntegerArray completions = new AtomicIntegerArray(tasks);
        try (Eventide rt = Eventide.builder().workerThreads(2).threadNamePrefix(prefix)
                .blockedWorkerThreshold(Duration.ZERO).compensationThreshold(Duration.ofMillis(1)).build()) {
            int sum = rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int id = i;
                    hs.add(Eventide.spawn(() -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        if (r.nextInt(4) == 0) {
                            Thread.sleep(r.nextInt(1, 4)); // blocks its worker
                        }
                        JoinHandle<Integer> child = Eventide.spawn(() -> {
                            Eventide.yieldNow().await();
                            return id;
                        });
                        if (r.nextInt(3) == 0) {
                            long end = System.nanoTime() + r.nextInt(500_000, 3_000_000);
                            while (System.nanoTime() < end) {
                                Thread.onSpinWait(); // a CPU-bound poll blocks just the same
                            }
                        }
                        int v = child.await();
                        completions.incrementAndGet(id);
                        return v;
                    }));
                }
                // Random aborts of tasks that were never going to be awaited: spawn and abort.
                for (int i = 0; i < 200; i++) {
                    JoinHandle<Void> victim = Eventide.spawn(() -> {
                        Thread.sleep(2);
                        Eventide.yieldNow().await();
                        return null;
                    });
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        victim.abort();
                    }
                }
                int total = 0;
                for (JoinHandle<Integer> h : hs) {
                    total += h.await();
                }
                return total;
            });
            assertThat(sum).isEqualTo(tasks * (tasks - 1) / 2);
            for (int i = 0; i < tasks; i++) {
                assertThat(completions.get(i)).as("completions of task %d", i).isEqualTo(1);
            }
            awaitNoCompensator(rt, prefix);
            assertThat(rt.metrics().compensations()).isPositive();
        }
        assertThat(compensatorThreads(prefix)).isZero();
    }

    /**
     * Runs {@code block} as a task of a one-worker runtime with a 5 ms compensation threshold,
     * under a JFR recording, waits for its compensators to retire, and returns the
     * {@code dev.eventide.Compensation} events recorded.
     */
    private static List<RecordedEvent> compensationEvents(Path dir, java.util.concurrent.Callable<?> block)
            throws Exception {
        try (Recording rec = new Recording()) {
            rec.enable("dev.eventide.Compensation");
            rec.start();
            try (Eventide rt = Eventide.builder().workerThreads(1).threadNamePrefix("comp-jfr")
                    .compensationThreshold(Duration.ofMillis(5)).build()) {
                rt.blockOn(() -> Eventide.spawn(block).await());
                awaitNoCompensator(rt, "comp-jfr");
            }
            rec.stop();
            Path file = dir.resolve("rec.jfr");
            rec.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.eventide.Compensation")).toList();
        }
    }

    @Test
    void jfrRecordsCompensation(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events = compensationEvents(dir, () -> {
            CountDownLatch latch = new CountDownLatch(1);
            Eventide.spawn(latch::countDown);
            return latch.await(20, TimeUnit.SECONDS);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getInt("tasksRescued")).isPositive();
            assertThat(e.getString("compensator")).contains("-compensator-");
        });
    }

    /**
     * A compensator with nothing to run parks until it is needed: the worker whose blocked poll
     * ends wakes it, so it does not poll the end of the block on a timer (with 1 ms slices it
     * parked about 300 times here). Fewer CPUs only mean fewer parks.
     */
    @Test
    void anIdleCompensatorIsWokenByTheEndOfTheBlockedPollNotByATimer(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events = compensationEvents(dir, () -> {
            Thread.sleep(300); // blocks the only worker; nothing else to run meanwhile
            return null;
        });
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.getInt("parks")).isLessThanOrEqualTo(20));
    }

    /**
     * A compensator with nothing to run waits in the driver (the selector) if no worker holds it,
     * and the workers that park meanwhile wait on their condition variables. When it retires it
     * must leave the driver to a worker: otherwise nobody serves timers and I/O any more, and in
     * a thread-per-core runtime, where nobody steals, every task waiting for a timer waits
     * forever (W12's thread-per-core scenario stalled that way). Each round blocks the only
     * worker while sleeping tasks make its compensator park in the driver, then checks that
     * timers still fire once the worker is back.
     */
    @Test
    void aRetiringCompensatorLeavesTheDriverToAWorker() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1).workStealing(false)
                .compensationThreshold(Duration.ofMillis(2)).build()) {
            for (int round = 0; round < 40; round++) {
                List<JoinHandle<Void>> sleepers = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    sleepers.add(rt.handle().spawn(() -> {
                        for (int k = 0; k < 10; k++) {
                            dev.eventide.time.Time.sleep(Duration.ofMillis(1)).await();
                        }
                    }));
                }
                JoinHandle<Void> blocker = rt.handle().spawn(() -> {
                    Thread.sleep(15); // long enough for a compensator to start and park
                    return null;
                });
                blocker.toCompletableFuture().get(10, TimeUnit.SECONDS);
                // timers must still fire after the compensator retired
                JoinHandle<Void> probe = rt.handle().spawn(() -> dev.eventide.time.Time.sleep(Duration.ofMillis(2)).await());
                probe.toCompletableFuture().get(10, TimeUnit.SECONDS);
                for (JoinHandle<Void> h : sleepers) {
                    h.toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
            assertThat(rt.metrics().compensations()).as("compensators started").isPositive();
        }
    }

    @Test
    void thresholdIsValidated() {
        assertThatThrownBy(() -> Eventide.builder().compensationThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compensationThreshold");
        assertThatThrownBy(() -> Eventide.builder().compensationThreshold(Duration.ofNanos(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compensationThreshold");
        assertThatThrownBy(() -> Eventide.builder().compensationThreshold(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("compensationThreshold");
    }
}
