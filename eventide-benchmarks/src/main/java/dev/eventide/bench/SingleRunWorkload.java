package dev.eventide.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A workload whose iteration is one whole <em>run</em> measured in a fresh process (W8, W9):
 * the runtime is built, loaded with a million tasks, measured and shut down, and the process's
 * memory figures ({@code VmRSS}, {@code VmHWM}) belong to that run alone.
 *
 * <p>In full mode every iteration spawns a child JVM ({@link ChildRun}) that runs
 * {@link #runOnce} once and prints its figures; the harness runs 3 of them per system, no
 * warm-up (WORKLOADS.md: "3 runs"), and reports the median (min, max) of every figure. In quick
 * mode one run happens in the harness's own JVM with small sizes, so that CI exercises the same
 * code in seconds; its memory figures then describe the harness process and mean little.
 *
 * <p>A run yields several figures: {@link #valueKey()} is the one in the main table (the JSON
 * line's {@code "value"}), {@link #extraKeys()} the others, each reported with its own median,
 * min and max.
 */
abstract class SingleRunWorkload implements Workload {
    /**
     * The child JVM's heap and collector, fixed so that runs compare, and large enough for a
     * million parked virtual threads. No {@code -XX:+AlwaysPreTouch}: resident memory must grow
     * with what the run touches, not start at the heap's size.
     */
    static final List<String> CHILD_JVM_OPTIONS = List.of("-Xms4g", "-Xmx4g", "-XX:+UseG1GC");

    /** Runs once on {@code sys} with {@code workers} workers and returns the figures by key, {@link #valueKey()} included. */
    abstract Map<String, Double> runOnce(Sys sys, int workers, Size size) throws Exception;

    /** The key of the main figure, in this workload's {@link #unit()}. */
    abstract String valueKey();

    /** The keys of the other figures, in report order. */
    abstract List<String> extraKeys();

    /**
     * Whether quick mode, too, runs in a fresh JVM: for a workload whose system needs a JVM-wide
     * setting ({@link #extraJvmOptions()}) that the harness's own JVM does not have.
     */
    boolean freshJvmInQuickMode() {
        return false;
    }

    /** JVM options a child run needs besides {@link #CHILD_JVM_OPTIONS} (they come after it, so they win). */
    List<String> extraJvmOptions() {
        return List.of();
    }

    @Override
    public long opsPerIteration(Size size) {
        return 1;
    }

    @Override
    public String opName() {
        return "run";
    }

    @Override
    public int warmupIterations(Size size) {
        return 0;
    }

    /** 3 runs in full mode; 1 in quick mode, which only keeps the code exercised. */
    @Override
    public int timedIterations(Size size) {
        return size.pick(3, 1);
    }

    /** A run of a million tasks plus a JVM's start takes far longer than a W1–W7 iteration; this is no starvation test. */
    @Override
    public long iterationLimitNanos(Size size, long harnessLimitNanos) {
        return Math.max(harnessLimitNanos, TimeUnit.SECONDS.toNanos(size.quick() ? 30 : 300));
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) {
        if (!systems().contains(sys)) {
            throw new IllegalArgumentException(id() + " is not implemented on " + sys.key);
        }
        if (sys == Sys.NETTY_EPOLL) {
            Peers.nettyTransport(sys); // skipped here, not failed in a child, where epoll does not load
        }
        return new Trial() {
            private final ChildRun child = new ChildRun();
            private Map<String, Double> last = Map.of();

            @Override
            public double iteration() throws Exception {
                last = size.quick() && !freshJvmInQuickMode() ? runOnce(sys, workers, size)
                        : child.run(id(), sys, workers, size);
                Double v = last.get(valueKey());
                if (v == null) {
                    throw new IllegalStateException(id() + " on " + sys.key + " produced no '" + valueKey() + "': " + last);
                }
                return v;
            }

            @Override
            public Map<String, Double> extras() {
                return last;
            }

            @Override
            public void close() {
                child.destroy();
            }
        };
    }

    /** A field of {@code /proc/self/status} ({@code VmRSS}, {@code VmHWM}) in bytes; -1 where there is none (not Linux). */
    static long procStatusBytes(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Heap in use after a full collection (twice, so that finalizable and weakly reachable garbage goes too). */
    static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Bytes to MiB. */
    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
