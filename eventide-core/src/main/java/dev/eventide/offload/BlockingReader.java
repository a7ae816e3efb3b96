package dev.eventide.offload;

import dev.eventide.Context;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.runtime.Coop;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * An {@link AsyncRead} over a blocking {@link InputStream} (tokio's {@code io::Blocking}): each
 * read that finds its buffer empty hands one {@code InputStream.read} to the blocking pool and
 * returns pending until it completes.
 *
 * <h2>Design</h2>
 * One buffer, reused; at most one read in flight. The in-flight read belongs to the stream, not
 * to the future that started it: a cancelled read leaves it running, and the next
 * {@link #pollRead} collects its bytes. So nothing is lost by cancellation, and no read is ever
 * abandoned with a thread still writing into the buffer. Not for concurrent use by several tasks
 * (a read is a mutation, as {@code &mut self} in tokio): one reader at a time.
 *
 * <p>{@link #close()} closes the stream at once; a read in flight on a pipe keeps its pool thread
 * until the writer writes, exits or closes its end (the JDK cannot interrupt such a read).
 */
public final class BlockingReader implements AsyncRead, AutoCloseable {
    private final InputStream in;
    private final String name;
    private final byte[] buf;
    private final ByteBuffer view; // bytes [position, limit) are read and not yet consumed
    private Offload<Integer> inFlight;
    private boolean eof;
    private volatile boolean closed;

    /**
     * A reader of {@code in} that moves at most {@code bufferSize} bytes per blocking read.
     *
     * @param name what the stream is, for error messages (for example {@code "stdout of pid 42"})
     * @param bufferSize the most bytes one blocking read takes
     */
    public BlockingReader(InputStream in, String name, int bufferSize) {
        this.in = Objects.requireNonNull(in, "in");
        this.name = name;
        this.buf = new byte[bufferSize];
        this.view = ByteBuffer.wrap(buf).limit(0);
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        if (!fill(cx)) {
            return PENDING;
        }
        if (!view.hasRemaining()) {
            return EOF;
        }
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        int n = Math.min(view.remaining(), dst.remaining());
        int start = view.position();
        dst.put(buf, start, n);
        view.position(start + n);
        return n;
    }

    /**
     * Makes buffered bytes available: true when {@link #buffered()} has bytes or the stream
     * ended; false (pending, waker registered) while a blocking read is in flight.
     */
    public boolean fill(Context cx) {
        for (;;) {
            if (view.hasRemaining() || eof) {
                return true;
            }
            if (inFlight == null) {
                if (closed) {
                    throw new UncheckedIOException(Offload.describe("read", name, new ClosedChannelException()),
                            new ClosedChannelException());
                }
                inFlight = Offload.of("read", name, this::readBlocking);
            }
            Poll<Integer> p;
            try {
                p = inFlight.poll(cx);
            } catch (RuntimeException e) {
                inFlight = null;
                throw e;
            }
            if (!p.isReady()) {
                return false;
            }
            inFlight = null;
            int n = p.value();
            if (n < 0) {
                eof = true;
            } else {
                view.limit(n).position(0);
            }
        }
    }

    /** The bytes read and not yet consumed; consuming them moves its position. */
    public ByteBuffer buffered() {
        return view;
    }

    private Integer readBlocking() throws IOException {
        return in.read(buf, 0, buf.length); // 0 (odd streams only) makes fill() read again
    }

    /** Closes the stream; a read in flight ends when the stream's source lets it. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(Offload.describe("close", name, e), e);
        }
    }

    @Override
    public String toString() {
        return "BlockingReader[" + name + "]";
    }
}
