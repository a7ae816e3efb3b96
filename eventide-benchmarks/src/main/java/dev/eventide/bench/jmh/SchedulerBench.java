package dev.eventide.bench.jmh;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
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
 * Micro-benchmarks of the scheduler's hot paths, through the public API (the run queues are
 * package-private): a local spawn and await (local queue push, LIFO slot, pop, completion, join
 * wake), a yield (a task waking itself: wake, local queue push and pop), and a remote spawn and
 * join (injection queue, unpark, cross-thread wake of a blocked joiner).
 *
 * <p>Run with {@code ./eventide jmh SchedulerBench}. {@code flavour} compares the multi-thread
 * runtime with the current-thread one, where the same paths run without any cross-thread traffic.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class SchedulerBench {
    private static final int BATCH = 1_000;

    /** {@code multi}: the work-stealing runtime with 2 workers; {@code current}: the current-thread runtime. */
    @Param({"multi", "current"})
    public String flavour;

    private Eventide rt;

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

    /** Spawn an empty task from inside a task and await it; per task. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int spawnAwaitLocal() {
        return rt.blockOn(() -> {
            int done = 0;
            for (int i = 0; i < BATCH; i++) {
                JoinHandle<Integer> h = Eventide.spawn(() -> 1);
                done += h.await();
            }
            return done;
        });
    }

    /** {@code Eventide.yieldNow().await()}: the task wakes itself and goes through its run queue; per yield. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int yieldNow() {
        return rt.blockOn(() -> {
            int n = 0;
            for (int i = 0; i < BATCH; i++) {
                Eventide.yieldNow().await();
                n++;
            }
            return n;
        });
    }

    /** Spawn through the handle from this (non-runtime) thread and block in {@code join()}; per task. */
    @Benchmark
    public Integer spawnJoinRemote() {
        if (!flavour.equals("multi")) {
            // a current-thread runtime runs tasks only inside blockOn: nothing would run the task
            return rt.blockOn(() -> 1);
        }
        return rt.handle().spawn(() -> 1).join();
    }
}
