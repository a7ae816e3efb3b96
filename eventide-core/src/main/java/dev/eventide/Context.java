package dev.eventide;

/**
 * What a future is polled with: today, just the {@link Waker} of the task being polled.
 *
 * <p>The runtime's tasks are their own context, so polling allocates nothing. Code that drives
 * futures by hand (tests, adapters) can use {@link #of(Waker)}.
 */
@FunctionalInterface
public interface Context {
    /** The waker to wake when the future polled with this context can make progress. */
    Waker waker();

    /** A context whose waker is {@code waker}. */
    static Context of(Waker waker) {
        if (waker == null) {
            throw new IllegalArgumentException("waker must not be null");
        }
        return () -> waker;
    }
}
