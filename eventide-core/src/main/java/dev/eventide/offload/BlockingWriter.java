package dev.eventide.offload;

import dev.eventide.Context;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.io.AsyncWrite;
import dev.eventide.runtime.Coop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * An {@link AsyncWrite} over a blocking {@link OutputStream} (tokio's {@code io::Blocking}):
 * {@link #pollWrite} copies up to one buffer of bytes, hands their write (and a flush) to the
 * blocking pool and returns their count at once; the next operation first waits for that write.
 *
 * <h2>Design</h2>
 * One buffer, reused; at most one write in flight, which belongs to the stream, not to the
 * future that started it. Cancellation: bytes that {@code pollWrite} has counted as written are
 * written even if the future that wrote them is cancelled; a failure of that write is thrown by
 * the next operation (write, flush, shutdown). Closing defers the close of the underlying stream
 * until a write in flight has finished, so bytes handed over are not cut off. Not for concurrent
 * use by several tasks.
 */
public final class BlockingWriter implements AsyncWrite, AutoCloseable {
    private final OutputStream out;
    private final String name;
    private final byte[] buf;
    private int pending; // bytes in buf handed to the in-flight write
    private volatile Offload<Integer> inFlight; // read by close() from any thread
    private volatile boolean closed;

    /**
     * A writer to {@code out} that moves at most {@code bufferSize} bytes per blocking write.
     *
     * @param name what the stream is, for error messages (for example {@code "stdin of pid 42"})
     */
    public BlockingWriter(OutputStream out, String name, int bufferSize) {
        this.out = Objects.requireNonNull(out, "out");
        this.name = name;
        this.buf = new byte[bufferSize];
    }

    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        if (!pollFlush(cx)) {
            return AsyncRead.PENDING;
        }
        if (closed) {
            throw closedError("write");
        }
        if (!src.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        int n = Math.min(src.remaining(), buf.length);
        src.get(buf, 0, n);
        pending = n;
        inFlight = Offload.of("write", name, this::writeBlocking).start();
        return n;
    }

    private Integer writeBlocking() throws IOException {
        out.write(buf, 0, pending);
        out.flush();
        return pending;
    }

    /** True once the write in flight, if any, has completed; throws its failure. */
    @Override
    public boolean pollFlush(Context cx) {
        Offload<Integer> f = inFlight;
        if (f == null) {
            return true;
        }
        Poll<Integer> p;
        try {
            p = f.poll(cx);
        } catch (RuntimeException e) {
            inFlight = null;
            throw e;
        }
        if (!p.isReady()) {
            return false;
        }
        inFlight = null;
        return true;
    }

    /** Waits for the write in flight, then closes the stream (for a pipe: the reader sees end of stream). */
    @Override
    public boolean pollShutdown(Context cx) {
        if (!pollFlush(cx)) {
            return false;
        }
        close();
        return true;
    }

    /**
     * Closes the stream, after the write in flight if there is one (that write is not cut off).
     * Idempotent; callable from any thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Offload<Integer> f = inFlight;
        if (f == null) {
            closeNow();
        } else {
            f.whenDone(this::closeNow);
        }
    }

    private void closeNow() {
        try {
            out.close();
        } catch (IOException e) {
            System.getLogger("dev.eventide.process").log(System.Logger.Level.DEBUG,
                    "closing " + name + " failed", e);
        }
    }

    private UncheckedIOException closedError(String op) {
        ClosedChannelException e = new ClosedChannelException();
        return new UncheckedIOException(Offload.describe(op, name, e), e);
    }

    @Override
    public String toString() {
        return "BlockingWriter[" + name + "]";
    }
}
