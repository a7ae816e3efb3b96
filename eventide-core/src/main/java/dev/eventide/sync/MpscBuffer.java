package dev.eventide.sync;

/**
 * The message store of an {@link Mpsc} channel: a multi-producer, single-consumer FIFO that
 * knows nothing of capacity, closing or waking; {@link MpscChan} does that.
 *
 * <p>Calling rules: {@link #offer} may be called by any thread, but only by one that holds a unit
 * of the channel's capacity (so a bounded buffer always has room); {@link #peek} and
 * {@link #take} only by the single consumer. {@code offer} is a volatile store of the message, so
 * a producer's later volatile read of the receiver's "parked" flag cannot be reordered before it
 * (the Dekker pairing that makes the receiver's wake-up reliable; see {@link MpscChan}).
 *
 * <p>Producers that claimed consecutive positions may finish writing out of order: the consumer
 * then sees the head position empty while a later one is written, and waits for the earlier
 * producer, whose write wakes it. Each producer's own messages stay in order.
 */
abstract sealed class MpscBuffer<T> permits MpscArrayBuffer, MpscChunkedBuffer {
    /** Appends {@code message} (non-null); the caller holds capacity for it. */
    abstract void offer(T message);

    /** Whether the message at the head has been written; consumer only. */
    abstract boolean peek();

    /**
     * {@link #peek} with a volatile read, for the receiver's second look after it published
     * that it is parking (a store-load pairing with the producers' volatile write).
     */
    abstract boolean peekVolatile();

    /** Removes and returns the head message, which {@link #peek} said is there; consumer only. */
    abstract T take();
}
