package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.internal.vm.Continuation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Async blocks on continuations: suspension, resumption elsewhere, monitors, pinning. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncBlockTest {

    @Test
    void aJoinHandleUsedAsARunnableRefusesToRunTheBlock() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            JoinHandle<Integer> h = rt.handle().spawn(() -> {
                runs.incrementAndGet();
                Eventide.spawnBlocking(() -> release.await(10, TimeUnit.SECONDS)).await();
                return runs.get();
            });
            // The task object is the block's coroutine entry (a Runnable); nobody else may run it,
            // neither while it is suspended nor from another thread.
            if (h instanceof Runnable r) {
                assertThatThrownBy(r::run).isInstanceOf(IllegalStateException.class);
            }
            release.countDown();
            assertThat(h.join()).isEqualTo(1);
            if (h instanceof Runnable r) {
                assertThatThrownBy(r::run).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void awaitOfAReadyFutureDoesNotSuspend() {
        try (Eventide rt = Eventide.currentThread()) {
            boolean otherRan = rt.blockOn(() -> {
                AtomicBoolean ran = new AtomicBoolean();
                Eventide.spawn(() -> ran.set(true)); // queued behind us on the only thread
                for (int i = 0; i < 10_000; i++) {
                    assertThat(Future.ready(i).await()).isEqualTo(i);
                }
                boolean before = ran.get();
                Eventide.yieldNow().await(); // now we do suspend, and the other task runs
                assertThat(ran.get()).isTrue();
                return before;
            });
            assertThat(otherRan).as("a ready await let another task run").isFalse();
        }
    }

    @Test
    void pendingAwaitSuspendsAndResumesWhenWoken() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            String v = rt.blockOn(() -> {
                Waker[] waker = new Waker[1];
                boolean[] ready = new boolean[1];
                Future<String> manual = cx -> {
                    if (ready[0]) {
                        return Poll.ready("woken");
                    }
                    waker[0] = cx.waker();
                    return Poll.pending();
                };
                JoinHandle<String> h = Eventide.spawn(() -> manual.await());
                while (waker[0] == null) {
                    Eventide.yieldNow().await();
                }
                assertThat(h.isFinished()).isFalse();
                ready[0] = true;
                waker[0].wake();
                return h.await();
            });
            assertThat(v).isEqualTo("woken");
        }
    }

    @Test
    void blocksResumeOnOtherWorkersAndKeepTheirStack() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            long sum = rt.blockOn(() -> {
                List<JoinHandle<Long>> hs = new ArrayList<>();
                for (int t = 0; t < 64; t++) {
                    long base = t * 1_000L;
                    hs.add(Eventide.spawn(() -> {
                        long acc = 0;
                        for (int i = 0; i < 500; i++) {
                            seen.add(Thread.currentThread());
                            acc += base + i; // a local that must survive each suspension
                            Eventide.yieldNow().await();
                        }
                        return acc;
                    }));
                }
                long s = 0;
                for (JoinHandle<Long> h : hs) {
                    s += h.await();
                }
                return s;
            });
            long expected = 0;
            for (int t = 0; t < 64; t++) {
                expected += 500L * t * 1_000 + 499L * 500 / 2;
            }
            assertThat(sum).isEqualTo(expected);
            assertThat(seen).hasSize(2);
        }
    }

    /**
     * DESIGN §2: on JDK 25 a continuation that yields inside {@code synchronized} resumes on
     * another thread with the monitor still held. This is internal JVM behaviour, so it is
     * checked here: every block must still hold its monitor after each resumption, on whatever
     * worker, and exit it without an IllegalMonitorStateException.
     */
    @Test
    void monitorsAreHeldAcrossSuspensionsOnAnotherThread() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicInteger moves = new AtomicInteger();
            int yields = rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int t = 0; t < 20; t++) {
                    hs.add(Eventide.spawn(() -> {
                        Object lock = new Object();
                        int n = 0;
                        synchronized (lock) {
                            for (int i = 0; i < 10_000; i++) {
                                Thread before = Thread.currentThread();
                                Eventide.yieldNow().await();
                                if (Thread.currentThread() != before) {
                                    moves.incrementAndGet();
                                }
                                if (!Thread.holdsLock(lock)) {
                                    throw new AssertionError("monitor lost after resuming");
                                }
                                n++;
                            }
                        }
                        return n;
                    }));
                }
                int total = 0;
                for (JoinHandle<Integer> h : hs) {
                    total += h.await();
                }
                return total;
            });
            assertThat(yields).isEqualTo(200_000);
            assertThat(moves.get()).as("resumptions on another thread").isPositive();
        }
    }

    @Test
    void aPinnedAwaitFailsClearlyInsteadOfHanging() {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            assertThatThrownBy(() -> rt.blockOn(() -> {
                Continuation.pin();
                try {
                    return Eventide.yieldNow().await();
                } finally {
                    Continuation.unpin();
                }
            })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot suspend")
                    .hasMessageContaining("pinned");
            // the worker survived: the runtime still runs tasks
            assertThat(rt.blockOn(() -> 7)).isEqualTo(7);
        }
    }

    @Test
    void awaitInsideAPollOnAWorkerIsRefused() {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            JoinHandle<Object> h = rt.handle().spawn((Future<Object>) cx -> Poll.ready(Eventide.yieldNow().await()));
            assertThatThrownBy(h::join).isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside an async block");
        }
    }

    @Test
    void awaitOnAThreadOutsideAnyRuntimeBlocksUntilReady() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            JoinHandle<String> h = rt.handle().spawn(() -> {
                Eventide.yieldNow().await();
                return "done";
            });
            assertThat(h.await()).isEqualTo("done"); // the test thread belongs to no runtime
            assertThat(Eventide.yieldNow().await()).isNull();
        }
    }

    /**
     * A suspended block is resumed only once the future it awaits is ready: the runtime re-polls
     * the future on the worker's own stack at each wake, so a wake that finds it still pending
     * costs no switch to the block's stack (and the block's code after the await runs once).
     */
    @Test
    void wakesThatFindTheAwaitedFutureStillPendingDoNotResumeTheBlock() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicInteger polls = new AtomicInteger();
            AtomicInteger pollsOnTheBlocksStack = new AtomicInteger();
            AtomicInteger resumes = new AtomicInteger();
            int wakes = 1_000;
            Future<String> spurious = cx -> {
                int n = polls.incrementAndGet();
                for (StackTraceElement f : new Throwable().getStackTrace()) {
                    if (f.getMethodName().contains("awaitedByTheBlock")) {
                        pollsOnTheBlocksStack.incrementAndGet();
                    }
                }
                if (n > wakes) {
                    return Poll.ready("ready after " + wakes + " spurious wakes");
                }
                cx.waker().wake(); // wake at once, while still pending
                return Poll.pending();
            };
            String v = rt.blockOn(() -> awaitedByTheBlock(spurious, resumes));
            assertThat(v).isEqualTo("ready after 1000 spurious wakes");
            assertThat(polls.get()).isEqualTo(wakes + 1);
            assertThat(pollsOnTheBlocksStack.get()).as("only the first poll runs on the block's stack").isEqualTo(1);
            assertThat(resumes.get()).isEqualTo(1);
        }
    }

    private static String awaitedByTheBlock(Future<String> future, AtomicInteger resumes) {
        String v = future.await();
        resumes.incrementAndGet();
        return v;
    }

    @Test
    void aPollThatThrowsAfterASuspensionThrowsFromTheAwait() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            AtomicInteger polls = new AtomicInteger();
            Future<String> failing = cx -> {
                if (polls.incrementAndGet() == 1) {
                    cx.waker().wake();
                    return Poll.pending();
                }
                throw boom;
            };
            Throwable caught = rt.blockOn(() -> {
                try {
                    failing.await();
                    return null;
                } catch (IllegalArgumentException e) {
                    return e;
                }
            });
            assertThat(caught).isSameAs(boom);
            assertThat(polls.get()).isEqualTo(2);
        }
    }

    @Test
    void abortingASuspendedBlockCancelsItsFutureOnceAndRunsItsFinallyBlocks() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicInteger cancels = new AtomicInteger();
            CountDownLatch suspended = new CountDownLatch(1);
            AtomicBoolean finallyRan = new AtomicBoolean();
            AtomicBoolean laterAwaitThrew = new AtomicBoolean();
            Future<String> never = new Future<>() {
                @Override
                public Poll<String> poll(Context cx) {
                    suspended.countDown();
                    return Poll.pending();
                }

                @Override
                public void cancel() {
                    cancels.incrementAndGet();
                }
            };
            JoinHandle<String> h = rt.handle().spawn(() -> {
                try {
                    return never.await();
                } finally {
                    finallyRan.set(true);
                    try {
                        Eventide.yieldNow().await();
                    } catch (CancelledException expected) {
                        laterAwaitThrew.set(true);
                    }
                }
            });
            assertThat(suspended.await(10, TimeUnit.SECONDS)).isTrue();
            h.abort();
            assertThatThrownBy(h::join).isInstanceOf(CancelledException.class);
            assertThat(h.isCancelled()).isTrue();
            assertThat(cancels.get()).isEqualTo(1);
            assertThat(finallyRan.get()).isTrue();
            assertThat(laterAwaitThrew.get()).as("an await of the unwinding block throws too").isTrue();
        }
    }
}
