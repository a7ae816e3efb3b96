package dev.eventide.sync;

import dev.eventide.Future;

/**
 * A sequence of values produced asynchronously, pulled one at a time: the async counterpart of
 * an {@link java.util.Iterator}. {@link Flows} bridges it to and from
 * {@link java.util.concurrent.Flow.Publisher}.
 *
 * <pre>{@code
 * try (AsyncStream<Event> events = Flows.fromPublisher(publisher)) {
 *     for (Event e; (e = events.next().await()) != null; ) {
 *         handle(e);
 *     }
 * }
 * }</pre>
 *
 * <p>Streams have a single consumer: call {@link #next()} again only after the previous
 * future completed (or was cancelled). Elements are never null: null marks the end.
 *
 * @param <T> the type of the elements
 */
@FunctionalInterface
public interface AsyncStream<T> extends AutoCloseable {
    /**
     * A future of the next element, or of null once the stream has ended. The future fails if
     * the stream failed. Whether cancelling it may lose an element is up to the implementation
     * (the ones in this package document it).
     */
    Future<T> next();

    /** Stops the stream early and releases what it holds; idempotent. The default does nothing. */
    @Override
    default void close() {
    }
}
