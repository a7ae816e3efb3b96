package dev.eventide.sync;

import dev.eventide.Handle;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * Bridges between {@link AsyncStream}s and Reactive Streams ({@link Flow.Publisher}), with
 * bounded demand in both directions.
 *
 * <pre>{@code
 * try (AsyncStream<Row> rows = Flows.fromPublisher(database.query(sql), 256)) {
 *     for (Row r; (r = rows.next().await()) != null; ) { ... }
 * }
 * Flow.Publisher<Event> out = Flows.toPublisher(Handle.current(), events);
 * }</pre>
 */
public final class Flows {
    /** Elements requested at a time by {@link #fromPublisher(Flow.Publisher)}. */
    public static final int DEFAULT_BATCH = 64;

    private Flows() {
    }

    /** {@link #fromPublisher(Flow.Publisher, int)} with {@link #DEFAULT_BATCH}. */
    public static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
        return fromPublisher(publisher, DEFAULT_BATCH);
    }

    /**
     * Subscribes to {@code publisher} now and returns its elements as a stream. At most
     * {@code batch} elements are requested ahead of the consumer: the first {@code batch} at
     * once, then more each time half of them has been consumed. {@code onError} makes the
     * stream's next {@code next()} fail with the error (after the elements that came before it);
     * {@code onComplete} ends it. {@link AsyncStream#close()} cancels the subscription.
     *
     * <p>Cancel-safe: a cancelled {@code next()} loses no element (elements are taken from the
     * buffer only by a poll that returns them).
     *
     * @throws IllegalArgumentException if {@code batch} is not positive
     */
    public static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher, int batch) {
        Objects.requireNonNull(publisher, "publisher");
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        PublisherStream<T> stream = new PublisherStream<>(batch);
        publisher.subscribe(stream);
        return stream;
    }

    /**
     * A publisher of {@code stream}'s elements, for a single subscriber (a stream can be read
     * only once; a second subscriber gets {@code onError(IllegalStateException)}). The elements
     * are pulled by a task spawned onto {@code handle}'s runtime at subscription, only as far as
     * the subscriber's demand allows. The end of the stream signals {@code onComplete}; a failing
     * stream signals {@code onError}; cancelling the subscription closes the stream.
     */
    public static <T> Flow.Publisher<T> toPublisher(Handle handle, AsyncStream<? extends T> stream) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(stream, "stream");
        return new StreamPublisher<>(handle, stream);
    }
}
