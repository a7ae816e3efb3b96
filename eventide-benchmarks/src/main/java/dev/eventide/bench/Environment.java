package dev.eventide.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What a set of figures was measured on: JDK, CPUs, JVM options (heap and collector), mode.
 *
 * @param jdk the JDK's version and VM name
 * @param os the operating system and architecture
 * @param cpus {@code availableProcessors()} (what {@code nproc} says)
 * @param workers worker threads of every system
 * @param jvmOptions the JVM's input arguments
 * @param heap the heap's initial and maximum size
 * @param gc the collectors
 * @param vthreadParallelism the virtual-thread scheduler's parallelism
 * @param mode {@code full} or {@code quick}
 * @param forkPerSystem whether each system's iterations of W1-W7 ran in a fresh JVM ({@link ChildRun#runIterations})
 * @param date when the run started (UTC)
 * @param cpuSteal the share of CPU time stolen by the hypervisor over the whole run (empty: unknown,
 *        or not measured yet)
 * @param stealByWorkload the same per workload id, in run order (empty until the run ends)
 */
record Environment(String jdk, String os, int cpus, int workers, List<String> jvmOptions, String heap, String gc,
        String vthreadParallelism, String mode, boolean forkPerSystem, Instant date, OptionalDouble cpuSteal,
        Map<String, OptionalDouble> stealByWorkload) {

    /** This environment with the steal measured over a finished run. */
    Environment withCpuSteal(OptionalDouble overall, Map<String, OptionalDouble> byWorkload) {
        return new Environment(jdk, os, cpus, workers, jvmOptions, heap, gc, vthreadParallelism, mode, forkPerSystem,
                date, overall, Map.copyOf(byWorkload));
    }

    static Environment current(int workers, Size size, boolean forkPerSystem) {
        var runtime = ManagementFactory.getRuntimeMXBean();
        var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        String heap = "initial " + mib(memory.getInit()) + ", max " + mib(memory.getMax());
        return new Environment(
                Runtime.version() + " (" + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), workers, runtime.getInputArguments(), heap, gc,
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default (= CPUs)"),
                size.quick() ? "quick" : "full", forkPerSystem, Instant.now().truncatedTo(ChronoUnit.SECONDS), OptionalDouble.empty(),
                Map.of());
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unset" : (bytes >> 20) + " MiB";
    }
}
