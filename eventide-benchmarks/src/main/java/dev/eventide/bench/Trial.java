package dev.eventide.bench;

import java.util.Map;

/**
 * One workload set up on one system: the runtime built, the background load started. The
 * harness calls {@link #iteration()} for every warm-up and timed iteration from one thread (the
 * workload's <em>main thread</em>, never a worker of the system under test), then
 * {@link #close()} once.
 *
 * <p>{@code close()} may also be called from the harness's watchdog thread while an iteration is
 * still running, when the iteration has exceeded its time limit (the starvation rule): it must
 * then stop the background load and shut the system down so that the stuck iteration ends.
 */
public interface Trial extends AutoCloseable {
    /**
     * Runs one iteration and returns its figure in the workload's {@linkplain Workload#unit()
     * unit} (nanoseconds for timed workloads, a rate for throughput workloads). Checks the
     * iteration's result and throws if it is wrong.
     */
    double iteration() throws Exception;

    /**
     * Figures of the last iteration besides its main one, by name (W8's lateness percentiles,
     * W9's wake-all time, ...), in report order; empty for workloads with a single figure.
     */
    default Map<String, Double> extras() {
        return Map.of();
    }

    /** Stops background load and shuts down what {@code open} built. Idempotent. */
    @Override
    void close() throws Exception;
}
