package dev.eventide.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
 * @param date when the run started (UTC)
 */
record Environment(String jdk, String os, int cpus, int workers, List<String> jvmOptions, String heap, String gc,
        String vthreadParallelism, String mode, Instant date) {

    static Environment current(int workers, Size size) {
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
                size.quick() ? "quick" : "full", Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unset" : (bytes >> 20) + " MiB";
    }
}
