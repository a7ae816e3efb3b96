package dev.eventide.examples.portscan;

import java.time.Duration;
import java.util.Objects;

/**
 * How to probe: the connect timeout, how many times a timed-out connect is tried again, and how
 * many connects may be in flight at once.
 *
 * @param timeout how long one connect may take before the port counts as filtered
 * @param retries extra attempts after a timeout (a refusal or a success is final)
 * @param concurrency the number of worker tasks, each with at most one connect in flight
 */
public record ScanOptions(Duration timeout, int retries, int concurrency) {
    /**
     * @throws IllegalArgumentException if the timeout or the concurrency is not positive, or the
     *     retries are negative
     */
    public ScanOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, was " + retries);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
    }
}
