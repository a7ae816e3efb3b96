package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Metrics, the blocked-worker detector, JFR events and task dumps. */
@Timeout(60)
class ObservabilityTest {

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void blockedWorkerIsReportedOnceWithTheBlockingCallOnItsStack() throws Exception {
        BlockingQueue<BlockedWorkerIncident> incidents = new LinkedBlockingQueue<>();
        try (Eventide rt = Eventide.builder().workerThreads(2).threadNamePrefix("obs-blocked")
                .blockedWorkerThreshold(Duration.ofMillis(50)).build()) {
            assertThat(threadAlive("obs-blocked-monitor")).isTrue();
            rt.addBlockedWorkerListener(incidents::add);
            rt.blockOn(() -> {
                Eventide.spawn(() -> {
                    Thread.sleep(500); // the mistake the detector is for
                    return null;
                }).await();
            });
            BlockedWorkerIncident incident = incidents.poll(10, TimeUnit.SECONDS);
            assertThat(incident).isNotNull();
            assertThat(incident.worker()).startsWith("obs-blocked-");
            assertThat(incident.task()).startsWith("async block");
            assertThat(incident.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
            assertThat(incident.stackTrace()).anySatisfy(f -> {
                assertThat(f.getClassName()).isEqualTo("java.lang.Thread");
                assertThat(f.getMethodName()).startsWith("sleep");
            });
            assertThat(incident.stackTrace()).anySatisfy(
                    f -> assertThat(f.getClassName()).startsWith(ObservabilityTest.class.getName()));
            assertThat(incident.toString()).contains("Thread.sleep");
            // Once per incident: the sleep is over (blockOn returned), and no second report came.
            assertThat(incidents).isEmpty();
        }
        assertThat(threadAlive("obs-blocked-monitor")).isFalse();
    }

    @Test
    void healthyTasksAndBlockInPlaceAreNotReported() throws Exception {
        BlockingQueue<BlockedWorkerIncident> incidents = new LinkedBlockingQueue<>();
        // The default threshold (100 ms): on by default, and far above a healthy poll.
        try (Eventide rt = Eventide.builder().workerThreads(2).threadNamePrefix("obs-healthy").build()) {
            assertThat(threadAlive("obs-healthy-monitor")).isTrue();
            rt.addBlockedWorkerListener(incidents::add);
            rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int n = i;
                    hs.add(Eventide.spawn(() -> {
                        Eventide.yieldNow().await();
                        return n;
                    }));
                }
                for (JoinHandle<Integer> h : hs) {
                    h.await();
                }
                // Blocking on purpose, with the core handed away, is not an incident.
                Eventide.spawn(() -> Eventide.blockInPlace(() -> {
                    Thread.sleep(400);
                    return null;
                })).await();
            });
            assertThat(rt.removeBlockedWorkerListener(incidents::add)).isFalse(); // a different lambda
        }
        assertThat(incidents).isEmpty();
    }

    @Test
    void currentThreadRuntimeReportsABlockedPollToo() throws Exception {
        BlockingQueue<BlockedWorkerIncident> incidents = new LinkedBlockingQueue<>();
        try (Eventide rt = Eventide.builder().currentThread().threadNamePrefix("obs-ct")
                .blockedWorkerThreshold(Duration.ofMillis(20)).build()) {
            assertThat(threadAlive("obs-ct-monitor")).isTrue();
            rt.addBlockedWorkerListener(incidents::add);
            String driver = Thread.currentThread().getName();
            rt.blockOn(() -> Eventide.spawn(() -> {
                Thread.sleep(300);
                return null;
            }).await());
            BlockedWorkerIncident incident = incidents.poll(10, TimeUnit.SECONDS);
            assertThat(incident).isNotNull();
            assertThat(incident.worker()).isEqualTo(driver);
            assertThat(incident.toString()).contains("Thread.sleep");
        }
        assertThat(threadAlive("obs-ct-monitor")).isFalse();
    }

    @Test
    void detectorCanBeTurnedOffAndValidatesItsThreshold() {
        try (Eventide rt = Eventide.builder().workerThreads(1).threadNamePrefix("obs-off")
                .blockedWorkerThreshold(Duration.ZERO).compensationThreshold(Duration.ZERO).build()) {
            assertThat(rt.blockOn(() -> 1)).isEqualTo(1);
            assertThat(threadAlive("obs-off-monitor")).isFalse();
        }
        assertThatThrownBy(() -> Eventide.builder().blockedWorkerThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockedWorkerThreshold");
        assertThatThrownBy(() -> Eventide.builder().blockedWorkerThreshold(Duration.ofNanos(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockedWorkerThreshold");
        assertThatThrownBy(() -> Eventide.builder().blockedWorkerThreshold(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("blockedWorkerThreshold");
    }

    @Test
    void metricsCountSpawnsAndPolls() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            RuntimeMetrics before = rt.metrics();
            assertThat(before.workers()).isEqualTo(2);
            assertThat(before.perWorker()).hasSize(2);
            List<JoinHandle<Void>> outer = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                outer.add(rt.handle().spawn(() -> {
                    Eventide.spawn(() -> { }).await();
                    Eventide.spawn(() -> { }).await();
                }));
            }
            for (JoinHandle<Void> h : outer) {
                h.join();
            }
            RuntimeMetrics after = rt.metrics();
            assertThat(after.spawnedTasks() - before.spawnedTasks()).isEqualTo(300);
            // Each outer task is polled at least three times (start, after each await).
            assertThat(after.totalPolls() - before.totalPolls()).isGreaterThanOrEqualTo(300 + 200);
            assertThat(after.aliveTasks()).isZero();
            assertThat(after.perWorker()).allSatisfy(w -> assertThat(w.busyTime()).isPositive());
        }
    }

    @Test
    void currentThreadRuntimeHasMetricsToo() {
        try (Eventide rt = Eventide.currentThread()) {
            rt.blockOn(() -> {
                Eventide.spawn(() -> { }).await();
            });
            RuntimeMetrics m = rt.metrics();
            assertThat(m.workers()).isEqualTo(1);
            assertThat(m.spawnedTasks()).isEqualTo(2);
            assertThat(m.totalPolls()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void idleWorkersStealFromABusyOne() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            long stealsBefore = rt.metrics().totalSteals();
            rt.blockOn(() -> {
                // All spawned on this worker's queue: the other one can only get work by stealing.
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    hs.add(Eventide.spawn(() -> spin(200_000)));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
            });
            RuntimeMetrics m = rt.metrics();
            assertThat(m.totalSteals()).isGreaterThan(stealsBefore);
            assertThat(m.perWorker()).allSatisfy(w -> assertThat(w.polls()).isPositive());
            assertThat(m.perWorker().stream().mapToLong(RuntimeMetrics.Worker::parks).sum()).isPositive();
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void metricsShowTheBlockingPool() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1).maxBlockingThreads(2).build()) {
            CountDownLatch started = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<JoinHandle<Void>> jobs = rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    hs.add(Eventide.spawnBlocking(() -> {
                        started.countDown();
                        release.await();
                        return null;
                    }));
                }
                return hs;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            RuntimeMetrics m = rt.metrics();
            assertThat(m.blockingThreads()).isEqualTo(2);
            assertThat(m.blockingIdleThreads()).isZero();
            assertThat(m.blockingQueueDepth()).isEqualTo(1);
            release.countDown();
            for (JoinHandle<Void> j : jobs) {
                j.join();
            }
            RuntimeMetrics done = rt.metrics();
            assertThat(done.blockingQueueDepth()).isZero();
            assertThat(done.blockingThreads()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void metricsCountTimers() {
        try (Eventide rt = Eventide.builder().workerThreads(1).startPaused(true).build()) {
            assertThat(rt.metrics().pendingTimers()).isZero();
        }
    }

    /** The frame the dump must show for every suspended task. */
    private static void suspendHere(Future<Void> never, CountDownLatch reached) {
        reached.countDown();
        never.await();
    }

    @Test
    void taskDumpListsTenThousandSuspendedTasksWithTheirFrames() throws Exception {
        int n = 10_000;
        Future<Void> never = cx -> Poll.pending();
        CountDownLatch reached = new CountDownLatch(n);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            for (int i = 0; i < n; i++) {
                rt.handle().spawn(() -> suspendHere(never, reached));
            }
            assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
            String dump = "";
            // A task counts down just before it suspends: the last few may still be running.
            for (int attempt = 0; attempt < 100; attempt++) {
                dump = rt.taskDump();
                if (count(dump, "ObservabilityTest.suspendHere(") == n) {
                    break;
                }
                Thread.yield();
            }
            assertThat(dump).startsWith("Eventide task dump: " + n + " live tasks");
            assertThat(count(dump, "task async block")).isEqualTo(n);
            assertThat(count(dump, "[suspended]")).isEqualTo(n);
            assertThat(count(dump, "ObservabilityTest.suspendHere(")).isEqualTo(n);
        }
    }

    private static int count(String text, String what) {
        int c = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            c++;
        }
        return c;
    }

    @Test
    void dumpingWhileTasksAreWokenLosesNoWake() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicInteger finished = new AtomicInteger();
            List<JoinHandle<Void>> hs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                hs.add(rt.handle().spawn(() -> {
                    for (int k = 0; k < 200; k++) {
                        Eventide.yieldNow().await();
                    }
                    finished.incrementAndGet();
                }));
            }
            while (hs.stream().anyMatch(h -> !h.isFinished())) {
                assertThat(rt.taskDump()).startsWith("Eventide task dump:");
            }
            for (JoinHandle<Void> h : hs) {
                h.join();
            }
            assertThat(finished).hasValue(200);
        }
    }

    @Test
    void jfrRecordsSpawnsStealsAndBlockedWorkers(@TempDir Path dir) throws Exception {
        try (Recording rec = new Recording()) {
            rec.enable("dev.eventide.TaskSpawn");
            rec.enable("dev.eventide.Steal");
            rec.enable("dev.eventide.BlockedWorker");
            rec.enable("dev.eventide.LongPoll");
            rec.start();
            CountDownLatch reported = new CountDownLatch(1);
            try (Eventide rt = Eventide.builder().workerThreads(2).blockedWorkerThreshold(Duration.ofMillis(20)).build()) {
                rt.addBlockedWorkerListener(i -> reported.countDown());
                rt.blockOn(() -> {
                    List<JoinHandle<Void>> hs = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        hs.add(Eventide.spawn(() -> spin(100_000)));
                    }
                    for (JoinHandle<Void> h : hs) {
                        h.await();
                    }
                    Eventide.spawn(() -> {
                        Thread.sleep(200);
                        return null;
                    }).await();
                });
                assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
            }
            rec.stop();
            Path file = dir.resolve("rec.jfr");
            rec.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            assertThat(Files.size(file)).isPositive();
            assertThat(events.stream().filter(e -> e.getEventType().getName().equals("dev.eventide.TaskSpawn")).count())
                    .isGreaterThanOrEqualTo(52);
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getEventType().getName()).isEqualTo("dev.eventide.BlockedWorker");
                assertThat(e.getString("workerStack")).contains("java.lang.Thread.sleep");
            });
            assertThat(events).anySatisfy(e -> assertThat(e.getEventType().getName()).isEqualTo("dev.eventide.LongPoll"));
        }
    }
}
