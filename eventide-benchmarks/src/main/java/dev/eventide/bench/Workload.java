package dev.eventide.bench;

import java.util.Set;

/**
 * A workload of {@code bench/WORKLOADS.md}, implementable on several {@linkplain Sys systems}.
 *
 * <p>Adding a workload is one class: implement this interface and list an instance in
 * {@link Workloads#all()}. The harness builds one {@link Trial} per system (the runtime, before
 * the first warm-up), runs the iterations, computes median, min and max, and reports.
 */
public interface Workload {
    /** The short id, e.g. {@code W1}, {@code W3a}. */
    String id();

    /** tokio's name for it, e.g. {@code spawn_many_local}: the {@code "workload"} field of the JSON line. */
    String name();

    /** The unit of the figures {@link Trial#iteration()} returns. */
    Unit unit();

    /** What one iteration counts, for the per-operation figure (e.g. 10,000 tasks); 1 if none. */
    long opsPerIteration(Size size);

    /** The name of one operation in the per-operation figure, e.g. {@code task}, {@code yield}. */
    String opName();

    /** The systems this workload is implemented on. */
    Set<Sys> systems();

    /**
     * Builds the workload on {@code sys} with {@code workers} worker threads: the runtime, and any
     * background load the workload keeps running across iterations.
     */
    Trial open(Sys sys, int workers, Size size) throws Exception;

    /** Iterations: WORKLOADS.md asks for at least 5 warm-up and 20 timed; JIT-compiled runtimes use more warm-up. */
    default int warmupIterations(Size size) {
        return size.quick() ? 2 : 30;
    }

    /**
     * The shortest warm-up: it runs at least {@link #warmupIterations} iterations <em>and</em>
     * at least this long. Thirty iterations of a workload that takes a millisecond are over
     * before the JIT has compiled the hot paths with its optimising compiler, and every system's
     * figures would then depend on where in its compilation each run happened to be (a twofold
     * spread between runs of the same code); two seconds is enough for all of them.
     */
    static long minWarmupNanos(Size size) {
        return size.quick() ? 0 : java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    }

    /**
     * The longest one iteration may run before the watchdog stops the workload: the harness's
     * limit (WORKLOADS.md's starvation rule) unless the workload's iterations are long by nature.
     */
    default long iterationLimitNanos(Size size, long harnessLimitNanos) {
        return harnessLimitNanos;
    }

    /** Timed iterations. */
    default int timedIterations(Size size) {
        return size.quick() ? 5 : 100;
    }
}
