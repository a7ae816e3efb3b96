package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runtime flavours, the builder, nesting rules and runtimes side by side. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeTest {

    @Test
    void builderRefusesBadValuesNamingTheOption() {
        Eventide.Builder b = Eventide.builder();
        assertThatThrownBy(() -> b.workerThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workerThreads");
        assertThatThrownBy(() -> b.workerThreads(-3)).hasMessageContaining("workerThreads");
        assertThatThrownBy(() -> b.workerThreads(Eventide.Builder.MAX_WORKER_THREADS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workerThreads");
        assertThatThrownBy(() -> b.maxBlockingThreads(0)).hasMessageContaining("maxBlockingThreads");
        assertThatThrownBy(() -> b.blockingKeepAlive(Duration.ZERO)).hasMessageContaining("blockingKeepAlive");
        assertThatThrownBy(() -> b.blockingKeepAlive(null)).hasMessageContaining("blockingKeepAlive");
        assertThatThrownBy(() -> b.threadNamePrefix(" ")).hasMessageContaining("threadNamePrefix");
        assertThatThrownBy(() -> b.onThreadStart(null)).hasMessageContaining("onThreadStart");
        assertThatThrownBy(() -> b.onThreadStop(null)).hasMessageContaining("onThreadStop");
        assertThatThrownBy(() -> b.eventInterval(0)).hasMessageContaining("eventInterval");
        assertThatThrownBy(() -> b.globalQueueInterval(-1)).hasMessageContaining("globalQueueInterval");
        assertThatThrownBy(() -> b.shutdownTimeout(Duration.ofSeconds(-1))).hasMessageContaining("shutdownTimeout");
        assertThatThrownBy(() -> b.spinBeforePark(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spinBeforePark");
        assertThatThrownBy(() -> b.spinBeforePark(Duration.ofMillis(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spinBeforePark");
        assertThatThrownBy(() -> b.spinBeforePark(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("spinBeforePark");
    }

    @Test
    void threadsAreNamedAndHooksRunOnStartAndStop() throws Exception {
        Set<String> started = ConcurrentHashMap.newKeySet();
        Set<String> stopped = ConcurrentHashMap.newKeySet();
        Eventide rt = Eventide.builder().workerThreads(3).threadNamePrefix("hooked")
                .onThreadStart(t -> started.add(t.getName()))
                .onThreadStop(t -> stopped.add(t.getName()))
                .build();
        String name = rt.blockOn(() -> Thread.currentThread().getName());
        assertThat(name).startsWith("hooked-");
        String blockingName = rt.blockOn(() -> Eventide.spawnBlocking(() -> Thread.currentThread().getName()).await());
        assertThat(blockingName).startsWith("hooked-blocking-");
        rt.close();
        assertThat(started).contains("hooked-0", "hooked-1", "hooked-2", blockingName);
        assertThat(stopped).isEqualTo(started);
    }

    @Test
    void blockOnInsideARuntimeIsRefusedWithAnExplanation() {
        try (Eventide outer = Eventide.builder().workerThreads(1).build();
             Eventide other = Eventide.currentThread()) {
            assertThatThrownBy(() -> outer.blockOn(() -> outer.blockOn(() -> 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot start a runtime from within a runtime");
            assertThatThrownBy(() -> outer.blockOn(() -> other.blockOn(() -> 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot start a runtime from within a runtime");
            assertThatThrownBy(() -> other.blockOn(() -> other.blockOn(() -> 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot start a runtime from within a runtime");
            // blocking threads belong to no runtime: blockOn is allowed there
            assertThat(outer.blockOn(() -> Eventide.spawnBlocking(() -> other.blockOn(() -> 9)).await())).isEqualTo(9);
        }
    }

    @Test
    void spawnOutsideAnyRuntimeIsRefused() {
        assertThatThrownBy(() -> Eventide.spawn(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runtime.handle()");
        assertThatThrownBy(Handle::current).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCurrentThreadRuntimeRunsEverythingOnTheCallersThread() {
        try (Eventide rt = Eventide.currentThread()) {
            Thread me = Thread.currentThread();
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            int n = rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    hs.add(Eventide.spawn(() -> {
                        seen.add(Thread.currentThread());
                        Eventide.yieldNow().await();
                        seen.add(Thread.currentThread());
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return hs.size();
            });
            assertThat(n).isEqualTo(100);
            assertThat(seen).containsExactly(me);
            assertThat(rt.workerThreads()).isEqualTo(1);
        }
    }

    @Test
    void aCurrentThreadRuntimeRunsTasksWokenFromOtherThreads() throws Exception {
        try (Eventide rt = Eventide.currentThread();
             Eventide helper = Eventide.builder().workerThreads(1).build()) {
            // the block waits for a task of another runtime, woken from that runtime's worker
            JoinHandle<String> remote = helper.handle().spawn(() -> {
                Eventide.yieldNow().await();
                return "from afar";
            });
            assertThat(rt.blockOn(() -> remote.await())).isEqualTo("from afar");
        }
    }

    @Test
    void queuedWorkIsStolenFromABusyWorker() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            boolean queuedRan = rt.blockOn(() -> {
                CountDownLatch ran = new CountDownLatch(2);
                // Each spawn takes the LIFO slot and pushes the previous one to our local queue:
                // two end up in the queue, one in the slot. We then hog the worker, so only a
                // steal can run the queued two. (The LIFO slot is not stealable, as in tokio.)
                Eventide.spawn(ran::countDown);
                Eventide.spawn(ran::countDown);
                Eventide.spawn(ran::countDown);
                return ran.await(20, TimeUnit.SECONDS);
            });
            assertThat(queuedRan).isTrue();
        }
    }

    @Test
    void withoutTheLifoSlotEverySpawnIsStealable() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).lifoSlot(false).build()) {
            boolean allRan = rt.blockOn(() -> {
                CountDownLatch ran = new CountDownLatch(3);
                for (int i = 0; i < 3; i++) {
                    Eventide.spawn(ran::countDown);
                }
                return ran.await(20, TimeUnit.SECONDS);
            });
            assertThat(allRan).isTrue();
        }
    }

    @Test
    void threadPerCoreKeepsTasksOnTheWorkerThatSpawnedThem() {
        try (Eventide rt = Eventide.builder().workerThreads(2).workStealing(false).build()) {
            int moved = rt.blockOn(() -> {
                AtomicInteger movedCount = new AtomicInteger();
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    hs.add(Eventide.spawn(() -> {
                        Thread home = Thread.currentThread();
                        for (int k = 0; k < 20; k++) {
                            Eventide.yieldNow().await();
                            if (Thread.currentThread() != home) {
                                movedCount.incrementAndGet();
                            }
                        }
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return movedCount.get();
            });
            assertThat(moved).isZero();
        }
    }

    @Test
    void threadPerCoreDealsRemoteSpawnsToEveryWorker() {
        try (Eventide rt = Eventide.builder().workerThreads(2).workStealing(false).build()) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            List<JoinHandle<Void>> hs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                hs.add(rt.handle().spawn(() -> {
                    seen.add(Thread.currentThread());
                }));
            }
            hs.forEach(JoinHandle::join);
            assertThat(seen).hasSize(2);
        }
    }

    @Test
    void twoRuntimesSpawnOntoEachOther() {
        try (Eventide a = Eventide.builder().workerThreads(1).threadNamePrefix("rt-a").build();
             Eventide b = Eventide.builder().workerThreads(1).threadNamePrefix("rt-b").build()) {
            Handle hb = b.handle();
            String trace = a.blockOn(() -> {
                String here = Thread.currentThread().getName();
                String there = hb.spawn(() -> {
                    String inB = Thread.currentThread().getName();
                    String backInA = a.handle().spawn(() -> Thread.currentThread().getName()).await();
                    return inB + ">" + backInA;
                }).await();
                return here + ">" + there;
            });
            assertThat(trace).matches("rt-a-\\d+>rt-b-\\d+>rt-a-\\d+");
        }
    }

    @Test
    void runIsTheMainOfAnAsyncProgram() {
        AtomicBoolean ran = new AtomicBoolean();
        Eventide.run(() -> ran.set(true));
        assertThat(ran).isTrue();
        assertThat(Eventide.run(() -> Eventide.spawn(() -> 40 + 2).await())).isEqualTo(42);
    }

    @Test
    void currentThreadRuntimesDrivenConcurrentlyFromManyThreadsStayApart() throws Exception {
        int threads = 4;
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 200; round++) {
                    try (Eventide rt = Eventide.currentThread()) {
                        Thread me = Thread.currentThread();
                        int v = rt.blockOn(() -> {
                            JoinHandle<Thread> h = Eventide.spawn(() -> {
                                Eventide.yieldNow().await();
                                return Thread.currentThread();
                            });
                            return h.await() == me ? 1 : 0;
                        });
                        if (v != 1) {
                            wrong.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(wrong.get()).isZero();
    }

    @Test
    void aSecondConcurrentBlockOnOfACurrentThreadRuntimeIsRefused() throws Exception {
        try (Eventide rt = Eventide.currentThread()) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread t = Thread.ofPlatform().start(() -> rt.blockOn(() -> {
                inside.countDown();
                return Eventide.spawnBlocking(() -> release.await(10, TimeUnit.SECONDS)).await();
            }));
            inside.await();
            assertThatThrownBy(() -> rt.blockOn(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already being driven");
            release.countDown();
            t.join();
        }
    }
}
