package dev.eventide.time;

import java.time.Duration;

/**
 * Thrown by the future of {@link Time#timeout} when its deadline passes before the inner future
 * completes. By then the inner future has been {@linkplain dev.eventide.Future#cancel()
 * cancelled}. Unchecked, so it unwinds an async block like any failure; catch it to recover.
 */
public class TimeoutExpiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /** @param timeout the timeout that expired, or null if it was given as a deadline */
    public TimeoutExpiredException(Duration timeout) {
        super(timeout == null ? "deadline has elapsed" : "timed out after " + timeout);
        this.timeout = timeout;
    }

    /**
     * The timeout that expired.
     *
     * @return the timeout, or null if the operation was given a deadline instead
     */
    public Duration timeout() {
        return timeout;
    }
}
