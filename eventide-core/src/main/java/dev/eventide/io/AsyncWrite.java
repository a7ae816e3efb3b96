package dev.eventide.io;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.nio.ByteBuffer;

/**
 * A sink of bytes written without blocking (tokio's {@code AsyncWrite}).
 *
 * <p>{@link #pollWrite} returns the count of bytes taken from {@code src} (at least 1 if
 * {@code src} has any), or {@link AsyncRead#PENDING} after arranging for the context's waker to
 * be woken when there may be room: a writer to a peer that does not read is held back, it does
 * not buffer without bound. Errors are thrown as {@link java.io.UncheckedIOException}, as for
 * {@link AsyncRead}.
 */
public interface AsyncWrite {

    /** Writes some of {@code src}; see the class documentation. */
    int pollWrite(Context cx, ByteBuffer src);

    /** Completes when buffered bytes, if any, have been handed to the underlying sink. */
    default boolean pollFlush(Context cx) {
        return true;
    }

    /** Shuts the write direction down (for a socket: sends FIN); true when done. */
    boolean pollShutdown(Context cx);

    /** A future of one write: the count of bytes written from {@code src}. */
    default Future<Integer> write(ByteBuffer src) {
        return cx -> {
            int n = pollWrite(cx, src);
            return n == AsyncRead.PENDING ? Poll.pending() : Poll.ready(n);
        };
    }

    /** A future that writes all of {@code src}; cancelling it may leave part of it written. */
    default Future<Void> writeAll(ByteBuffer src) {
        return cx -> {
            while (src.hasRemaining()) {
                if (pollWrite(cx, src) == AsyncRead.PENDING) {
                    return Poll.pending();
                }
            }
            return Poll.ready(null);
        };
    }

    /** A future of {@link #pollFlush}. */
    default Future<Void> flush() {
        return cx -> pollFlush(cx) ? Poll.ready(null) : Poll.pending();
    }

    /** A future of {@link #pollShutdown}. */
    default Future<Void> shutdown() {
        return cx -> pollShutdown(cx) ? Poll.ready(null) : Poll.pending();
    }
}
