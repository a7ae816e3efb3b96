package dev.eventide.io;

import dev.eventide.Context;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A buffering {@link AsyncWrite} (tokio's {@code BufWriter}): gathers small writes and hands
 * them to its sink in large ones. Writes as large as the buffer bypass it.
 *
 * <p>Buffered bytes reach the sink only when the buffer fills, on {@link #flush()}, or on
 * {@link #shutdown()} (which flushes first): flush before you expect the peer to see them.
 *
 * <p>Cancellation safety: a cancelled write or flush loses nothing that was accepted: buffered
 * bytes stay buffered for the next flush.
 *
 * <p>Not thread-safe: one task writes at a time.
 */
public final class BufWriter implements AsyncWrite {
    /** The default buffer capacity, 8 KiB. */
    public static final int DEFAULT_CAPACITY = 8 * 1024;

    private final AsyncWrite sink;
    /** Write mode: bytes {@code [0, position)} are waiting for the sink. */
    private final ByteBuffer buf;

    /** A writer to {@code sink} with an 8 KiB buffer. */
    public BufWriter(AsyncWrite sink) {
        this(sink, DEFAULT_CAPACITY);
    }

    /** A writer to {@code sink} with a buffer of {@code capacity} bytes (at least 1). */
    public BufWriter(AsyncWrite sink, int capacity) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.buf = ByteBuffer.allocate(capacity);
    }

    /** The number of bytes buffered, not yet handed to the sink. */
    public int buffered() {
        return buf.position();
    }

    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        if (!src.hasRemaining()) {
            return 0;
        }
        if (buf.position() > 0 && src.remaining() > buf.remaining() && !drain(cx)) {
            return AsyncRead.PENDING;
        }
        if (buf.position() == 0 && src.remaining() >= buf.capacity()) {
            return sink.pollWrite(cx, src);
        }
        int n = Math.min(src.remaining(), buf.remaining());
        buf.put(buf.position(), src, src.position(), n);
        buf.position(buf.position() + n);
        src.position(src.position() + n);
        return n;
    }

    /** Hands the buffer to the sink; true once it is empty. */
    private boolean drain(Context cx) {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                if (sink.pollWrite(cx, buf) == AsyncRead.PENDING) {
                    return false;
                }
            }
            return true;
        } finally {
            buf.compact();
        }
    }

    @Override
    public boolean pollFlush(Context cx) {
        return drain(cx) && sink.pollFlush(cx);
    }

    @Override
    public boolean pollShutdown(Context cx) {
        return pollFlush(cx) && sink.pollShutdown(cx);
    }
}
