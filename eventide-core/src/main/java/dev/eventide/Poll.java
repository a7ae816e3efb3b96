package dev.eventide;

import java.util.Objects;

/**
 * The result of {@link Future#poll(Context)}: either a value ({@link #ready(Object)}) or
 * {@link #pending()}, in which case the future has arranged for the context's waker to be woken
 * when it can make progress.
 *
 * <p>{@code pending()} and {@code ready(null)} are shared constants, so a poll that makes no
 * progress allocates nothing.
 *
 * @param <T> the type of the value
 */
public final class Poll<T> {
    private static final Poll<?> PENDING = new Poll<>(false, null);
    private static final Poll<?> READY_NULL = new Poll<>(true, null);

    private final boolean ready;
    private final T value;

    private Poll(boolean ready, T value) {
        this.ready = ready;
        this.value = value;
    }

    /** The future is not complete; its waker will be woken when it may be. */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> pending() {
        return (Poll<T>) PENDING;
    }

    /** The future is complete with {@code value} (which may be null). */
    @SuppressWarnings("unchecked")
    public static <T> Poll<T> ready(T value) {
        return value == null ? (Poll<T>) READY_NULL : new Poll<>(true, value);
    }

    public boolean isReady() {
        return ready;
    }

    public boolean isPending() {
        return !ready;
    }

    /**
     * The value of a ready poll.
     *
     * @throws IllegalStateException if this poll is pending
     */
    public T value() {
        if (!ready) {
            throw new IllegalStateException("Poll.value() called on a pending poll");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Poll<?> p && p.ready == ready && Objects.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return ready ? 31 + Objects.hashCode(value) : 0;
    }

    @Override
    public String toString() {
        return ready ? "Ready(" + value + ")" : "Pending";
    }
}
