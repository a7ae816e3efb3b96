package dev.eventide.io;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.nio.ByteBuffer;

/**
 * A source of bytes read without blocking (tokio's {@code AsyncRead}).
 *
 * <p>The poll method returns a primitive count, so reading allocates nothing: bytes read
 * (0 only if {@code dst} has no room left), {@link #EOF} at end of stream, or {@link #PENDING}
 * after arranging for the context's waker to be woken when bytes may be available. I/O errors
 * are thrown as {@link java.io.UncheckedIOException} whose cause is the JDK's
 * {@link java.io.IOException} (for example {@code java.net.SocketException} on a reset); awaiting
 * {@link #read} therefore throws it to the task that did the read, and to no one else.
 *
 * <p>Cancellation safety: {@code read} may be cancelled (by {@code select}, a timeout or an abort)
 * without losing data: bytes are only ever copied into {@code dst} by a poll that returns them.
 */
public interface AsyncRead {
    /** Returned by {@link #pollRead} when no byte is available yet. */
    int PENDING = -2;
    /** Returned by {@link #pollRead} at end of stream. */
    int EOF = -1;

    /** Reads what is available into {@code dst}; see the class documentation. */
    int pollRead(Context cx, ByteBuffer dst);

    /** A future of one read: the count of bytes read into {@code dst}, or -1 at end of stream. */
    default Future<Integer> read(ByteBuffer dst) {
        return cx -> {
            int n = pollRead(cx, dst);
            return n == PENDING ? Poll.pending() : Poll.ready(n);
        };
    }

    /**
     * A future that reads until {@code dst} is full. At end of stream before that it fails with
     * an {@link java.io.UncheckedIOException} whose cause is an {@link java.io.EOFException}.
     * Cancelling it loses nothing: the bytes read so far are in {@code dst} (its position).
     */
    default Future<Void> readExact(ByteBuffer dst) {
        return cx -> {
            while (dst.hasRemaining()) {
                int n = pollRead(cx, dst);
                if (n == PENDING) {
                    return Poll.pending();
                }
                if (n == EOF) {
                    throw new java.io.UncheckedIOException(new java.io.EOFException(
                            "end of stream with " + dst.remaining() + " bytes still expected"));
                }
            }
            return Poll.ready(null);
        };
    }
}
