package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task that yields itself ends its poll still holding its running bit and is queued as it is
 * (see {@code Task}, "Yielding without atomics"). These checks race that state with everything
 * that can touch a task meanwhile: wakes and aborts from other threads, stealing, the LIFO slot,
 * a worker giving its core away in the same poll. Whatever the interleaving, a task is never
 * polled by two threads at once, never after it completed, never lost, and an abort always ends
 * it cancelled.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class YieldStressTest {

    /** A poll future that yields {@code yields} times, checking that no two polls overlap. */
    private static final class Yielder implements Future<Integer> {
        private final AtomicBoolean inPoll = new AtomicBoolean();
        private final AtomicInteger overlaps;
        private final AtomicInteger pollsAfterDone;
        private final int yields;
        private Future<Void> yielding;
        private int left;
        private volatile Waker waker;
        private volatile boolean done;

        Yielder(int yields, AtomicInteger overlaps, AtomicInteger pollsAfterDone) {
            this.yields = yields;
            this.left = yields;
            this.overlaps = overlaps;
            this.pollsAfterDone = pollsAfterDone;
        }

        @Override
        public Poll<Integer> poll(Context cx) {
            if (!inPoll.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            try {
                if (done) {
                    pollsAfterDone.incrementAndGet();
                }
                waker = cx.waker();
                for (;;) {
                    if (yielding != null) {
                        if (yielding.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        yielding = null;
                    }
                    if (left == 0) {
                        done = true;
                        return Poll.ready(yields);
                    }
                    left--;
                    yielding = Eventide.yieldNow();
                }
            } finally {
                inPoll.set(false);
            }
        }
    }

    private static Eventide runtime(String flavour) {
        return switch (flavour) {
            case "stealing" -> Eventide.builder().workerThreads(2).build();
            case "thread-per-core" -> Eventide.builder().workerThreads(2).workStealing(false).build();
            case "four-workers" -> Eventide.builder().workerThreads(4).build();
            default -> throw new IllegalArgumentException(flavour);
        };
    }

    /**
     * Yielding tasks woken and aborted at random from two outside threads while they yield:
     * every task ends, the aborted ones cancelled (unless they finished first), the others with
     * their value, and no poll overlaps another or follows completion.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stealing", "thread-per-core", "four-workers"})
    void wakesAndAbortsRacingYieldsLoseNothing(String flavour) throws Exception {
        int tasks = 400;
        int yields = 300;
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger pollsAfterDone = new AtomicInteger();
        try (Eventide rt = runtime(flavour)) {
            for (int round = 0; round < 5; round++) {
                List<Yielder> futures = new ArrayList<>();
                AtomicReferenceArray<JoinHandle<Integer>> handles = new AtomicReferenceArray<>(tasks);
                for (int i = 0; i < tasks; i++) {
                    Yielder y = new Yielder(yields, overlaps, pollsAfterDone);
                    futures.add(y);
                    handles.set(i, rt.handle().spawn(y));
                }
                boolean[] aborted = new boolean[tasks];
                SplittableRandom random = new SplittableRandom(round * 31L + flavour.hashCode());
                for (int i = 0; i < tasks; i++) {
                    aborted[i] = random.nextInt(4) == 0;
                }
                Thread waker = Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom(7);
                    for (int n = 0; n < 200_000; n++) {
                        Waker w = futures.get(r.nextInt(tasks)).waker;
                        if (w != null) {
                            w.wake(); // often lands while the task is held: must only set NOTIFIED
                        }
                    }
                });
                Thread aborter = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < tasks; i++) {
                        if (aborted[i]) {
                            handles.get(i).abort();
                        }
                        Thread.onSpinWait();
                    }
                });
                aborter.join();
                for (int i = 0; i < tasks; i++) {
                    JoinHandle<Integer> h = handles.get(i);
                    if (!aborted[i]) {
                        assertThat(h.join()).isEqualTo(yields);
                    } else {
                        try {
                            assertThat(h.join()).isEqualTo(yields); // it finished before the abort came
                        } catch (CancelledException expected) {
                            assertThat(h.isCancelled()).isTrue();
                        }
                    }
                }
                waker.join();
            }
        }
        assertThat(overlaps.get()).as("polls that overlapped another poll of the same task").isZero();
        assertThat(pollsAfterDone.get()).as("polls after the future completed").isZero();
    }

    /**
     * Yielding async blocks, aborted at random: every block ends, the aborted ones cancelled
     * with their {@code finally} run, and the runtime shuts down with nothing left behind.
     */
    @Test
    void abortedYieldingBlocksUnwindAndTheRestComplete() throws Exception {
        int tasks = 300;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finallies = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                handles.add(rt.handle().spawn(() -> {
                    started.incrementAndGet();
                    try {
                        int n = 0;
                        for (int y = 0; y < 2_000; y++) {
                            Eventide.yieldNow().await();
                            n++;
                        }
                        return n;
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
            while (started.get() < tasks) {
                Thread.onSpinWait(); // abort blocks that are yielding (a block aborted before it starts never runs)
            }
            SplittableRandom random = new SplittableRandom(42);
            List<Integer> abortedAt = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                if (random.nextInt(3) == 0) {
                    handles.get(i).abort();
                    abortedAt.add(i);
                }
            }
            int cancelled = 0;
            for (int i = 0; i < tasks; i++) {
                JoinHandle<Integer> h = handles.get(i);
                if (abortedAt.contains(i)) {
                    try {
                        assertThat(h.join()).isEqualTo(2_000);
                    } catch (CancelledException expected) {
                        cancelled++;
                    }
                } else {
                    assertThat(h.join()).isEqualTo(2_000);
                }
            }
            assertThat(cancelled).as("aborted blocks that were still yielding").isPositive();
            assertThat(finallies.get()).isEqualTo(tasks);
            assertThat(rt.metrics().aliveTasks()).isZero();
        }
    }

    /**
     * A task that yields and then, in the same poll, gives its worker's core away
     * ({@code blockInPlace}): its thread can no longer keep the yielded task, which must still
     * be polled again (the held path falls back to an ordinary yield).
     */
    @Test
    void aYieldFollowedByBlockInPlaceInTheSamePollStillResumes() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            for (int round = 0; round < 50; round++) {
                AtomicInteger polls = new AtomicInteger();
                Future<String> f = new Future<>() {
                    private Future<Void> yielding;

                    @Override
                    public Poll<String> poll(Context cx) {
                        if (polls.incrementAndGet() == 1) {
                            yielding = Eventide.yieldNow();
                            assertThat(yielding.poll(cx).isPending()).isTrue();
                            try {
                                Eventide.blockInPlace(() -> null);
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                            return Poll.pending();
                        }
                        return yielding.poll(cx).isReady() ? Poll.ready("resumed") : Poll.pending();
                    }
                };
                assertThat(rt.handle().spawn(f).join()).isEqualTo("resumed");
                assertThat(polls.get()).isEqualTo(2);
            }
        }
    }

    /** The same races on the current-thread runtime, driven by {@code blockOn}. */
    @Test
    void currentThreadRuntimeYieldsWithOutsideWakes() {
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger pollsAfterDone = new AtomicInteger();
        try (Eventide rt = Eventide.currentThread()) {
            List<Yielder> futures = new ArrayList<>();
            List<JoinHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Yielder y = new Yielder(200, overlaps, pollsAfterDone);
                futures.add(y);
                handles.add(rt.handle().spawn(y));
            }
            Supplier<Thread> waker = () -> Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(3);
                for (int n = 0; n < 100_000; n++) {
                    Waker w = futures.get(r.nextInt(futures.size())).waker;
                    if (w != null) {
                        w.wake();
                    }
                }
            });
            Thread t = waker.get();
            int sum = rt.blockOn(() -> {
                int s = 0;
                for (JoinHandle<Integer> h : handles) {
                    s += h.await();
                }
                return s;
            });
            assertThat(sum).isEqualTo(200 * 200);
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(overlaps.get()).isZero();
        assertThat(pollsAfterDone.get()).isZero();
    }
}
