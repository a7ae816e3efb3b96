package dev.eventide.bench.jmh;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Waking a task, the path every primitive ends in ({@code Waker.wake()} on a task: one CAS on the
 * state word, a push onto a run queue or the LIFO slot, a poll that resumes the continuation):
 * <ul>
 *   <li>{@link #wakeNotified}: a wake of a task that is already notified, the common redundant
 *       case (a primitive woken twice), which should cost one volatile read;</li>
 *   <li>{@link #handoff}: two tasks on one runtime passing a turn back and forth, each wake
 *       issued by the running task (the LIFO slot's case, message passing);</li>
 *   <li>{@link #wakeFromOutside}: a thread outside the runtime wakes a parked task and waits for
 *       it to have run (the injection queue, unparking a worker, the round trip back).</li>
 * </ul>
 * The tasks wait on a {@link Baton}, the least a task can wait on, so that the figures are the
 * task's and not a channel's. {@code flavour} compares the multi-thread runtime (2 workers) with
 * the current-thread one, where no wake crosses threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class TaskWakeBench {
    private static final int BATCH = 1_000;

    /** The runtime of the in-runtime benchmarks. */
    @State(Scope.Benchmark)
    public static class Rt {
        /** {@code multi}: the work-stealing runtime with 2 workers; {@code current}: the current-thread runtime. */
        @Param({"multi", "current"})
        public String flavour;

        Eventide rt;

        /** Builds the runtime once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            rt = flavour.equals("multi") ? Eventide.builder().workerThreads(2).build() : Eventide.currentThread();
        }

        /** Shuts the runtime down. */
        @TearDown(Level.Trial)
        public void tearDown() {
            rt.close();
        }
    }

    /** The polling task's own waker, read through a future that is ready at once. */
    private static final Future<Waker> OWN_WAKER = cx -> Poll.ready(cx.waker());

    /**
     * A running task wakes itself {@value #BATCH} times: the first wake sets the notified bit, the
     * others find it set and return; per wake. (The task is polled once more afterwards.)
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int wakeNotified(Rt r) {
        return r.rt.blockOn(() -> {
            Waker self = OWN_WAKER.await();
            for (int i = 0; i < BATCH; i++) {
                self.wake();
            }
            return BATCH;
        });
    }

    /**
     * Two tasks pass a turn {@value #BATCH} times each way: the running task wakes the other
     * (which lands in the LIFO slot) and parks; per hand-off (one wake, one park, one resume).
     */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public int handoff(Rt r) {
        return r.rt.blockOn(() -> {
            Baton ping = new Baton();
            Baton pong = new Baton();
            var partner = Eventide.spawn(() -> {
                for (int i = 0; i < BATCH; i++) {
                    ping.await();
                    pong.signal();
                }
            });
            for (int i = 0; i < BATCH; i++) {
                ping.signal();
                pong.await();
            }
            partner.await();
            return 2 * BATCH;
        });
    }

    /** A task parked on a {@link Baton} that counts its wake-ups, on its own 2-worker runtime. */
    @State(Scope.Benchmark)
    public static class Echo {
        private Eventide rt;
        final Baton baton = new Baton();
        volatile long runs;
        private volatile boolean stop;
        private JoinHandle<Void> task;

        /** Builds the runtime and parks the echo task. */
        @Setup(Level.Trial)
        public void setUp() {
            rt = Eventide.builder().workerThreads(2).build();
            task = rt.handle().spawn(() -> {
                while (!stop) {
                    baton.await();
                    runs++; // this task is the only writer
                }
                return null;
            });
        }

        /** Stops the echo task and the runtime. */
        @TearDown(Level.Trial)
        public void tearDown() {
            stop = true;
            baton.signal();
            task.join();
            rt.close();
        }
    }

    /**
     * The benchmark thread (no runtime's) wakes the parked echo task and spins until it has run;
     * per round trip: injection queue, unparking a worker, a poll, and the counter's way back.
     * Always on a multi-thread runtime: a current-thread one runs tasks only inside {@code blockOn}.
     */
    @Benchmark
    public long wakeFromOutside(Echo echo) {
        long before = echo.runs;
        echo.baton.signal();
        long now;
        while ((now = echo.runs) == before) {
            Thread.onSpinWait();
        }
        return now;
    }
}
