package dev.eventide.io;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Copying between byte streams (tokio's {@code io::copy} and {@code io::copy_bidirectional}).
 */
public final class Io {
    /** The size of the buffer a copy uses. */
    public static final int COPY_BUFFER = 8 * 1024;

    private Io() {
    }

    /**
     * Copies everything {@code from} yields into {@code to}, until end of stream, then flushes
     * {@code to} (without shutting it down). The future's value is the count of bytes copied.
     *
     * <p>Cancellation safety: bytes read from {@code from} but not yet written to {@code to} (at
     * most {@link #COPY_BUFFER}) are lost.
     */
    public static Future<Long> copy(AsyncRead from, AsyncWrite to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Transfer t = new Transfer(from, to, false);
        return cx -> t.poll(cx) ? Poll.ready(t.total) : Poll.pending();
    }

    /**
     * Copies {@code a} to {@code b} and {@code b} to {@code a} at once, until both directions have
     * reached end of stream; when one direction ends, the receiving side's output is shut down
     * (its peer reads end of stream), as tokio does. The value is the count copied each way.
     * An error in either direction fails the whole copy.
     *
     * <p>Cancellation safety: as {@link #copy}, for each direction.
     */
    public static <A extends AsyncRead & AsyncWrite, B extends AsyncRead & AsyncWrite> Future<Transferred>
            copyBidirectional(A a, B b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Transfer ab = new Transfer(a, b, true);
        Transfer ba = new Transfer(b, a, true);
        return cx -> {
            boolean abDone = ab.poll(cx);
            boolean baDone = ba.poll(cx);
            return abDone && baDone ? Poll.ready(new Transferred(ab.total, ba.total)) : Poll.pending();
        };
    }

    /**
     * What {@link #copyBidirectional} copied.
     *
     * @param aToB bytes copied from the first stream to the second
     * @param bToA bytes copied from the second stream to the first
     */
    public record Transferred(long aToB, long bToA) {
    }

    /** One direction of a copy: read, write out, and at end of stream flush (and maybe shut down). */
    private static final class Transfer {
        private final AsyncRead from;
        private final AsyncWrite to;
        private final boolean shutdownAtEnd;
        /** Read mode: {@code [position, limit)} read but not yet written. */
        private final ByteBuffer buf = ByteBuffer.allocate(COPY_BUFFER).flip();
        private boolean eof;
        private boolean done;
        long total;

        Transfer(AsyncRead from, AsyncWrite to, boolean shutdownAtEnd) {
            this.from = from;
            this.to = to;
            this.shutdownAtEnd = shutdownAtEnd;
        }

        /** Makes progress; true once finished. */
        boolean poll(Context cx) {
            if (done) {
                return true;
            }
            for (;;) {
                while (buf.hasRemaining()) {
                    int n = to.pollWrite(cx, buf);
                    if (n == AsyncRead.PENDING) {
                        return false;
                    }
                    total += n;
                }
                if (eof) {
                    if (!to.pollFlush(cx) || (shutdownAtEnd && !to.pollShutdown(cx))) {
                        return false;
                    }
                    done = true;
                    return true;
                }
                buf.clear();
                int n;
                try {
                    n = from.pollRead(cx, buf);
                } finally {
                    buf.flip();
                }
                if (n == AsyncRead.PENDING) {
                    to.pollFlush(cx); // nothing more to send for now: push out what a buffered sink holds
                    return false;
                }
                if (n == AsyncRead.EOF) {
                    eof = true;
                }
            }
        }
    }
}
