package dev.eventide.process;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.offload.BlockingReader;
import dev.eventide.runtime.Coop;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The reading end of a child's standard output or error pipe: an {@link AsyncRead} whose reads
 * run on the blocking pool, one at a time, plus {@link #readLine()} for line-oriented output.
 *
 * <p>Cancellation: nothing is lost. A read in flight belongs to the stream, and the next read
 * returns its bytes; a cancelled {@code readLine} leaves the part of the line it had read in the
 * stream, and the next {@code readLine} continues it.
 *
 * <p>A read waits for the child to write, exit or close its end; the pool thread doing it is
 * held meanwhile (the JDK gives pipes no non-blocking mode), and {@link #close()} does not
 * release it: ending the child does. One reader at a time.
 */
public final class ChildOutput implements AsyncRead, AutoCloseable {
    private final BlockingReader reader;
    // The start of a line that a readLine has taken from the reader and not yet returned.
    private byte[] line = new byte[128];
    private int lineLength;

    ChildOutput(BlockingReader reader) {
        this.reader = reader;
    }

    /** Reads bytes; those of a line a cancelled {@link #readLine()} had begun come first. */
    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        if (lineLength == 0) {
            return reader.pollRead(cx, dst);
        }
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        int n = Math.min(lineLength, dst.remaining());
        dst.put(line, 0, n);
        System.arraycopy(line, n, line, 0, lineLength - n);
        lineLength -= n;
        return n;
    }

    /**
     * The next line decoded as UTF-8, without its terminator ({@code \n} or {@code \r\n}), or
     * null at end of stream; a last line without terminator is returned as it is. Completes as
     * soon as the line's end has arrived, so lines are seen as the child writes them (if it
     * flushes them).
     */
    public Future<String> readLine() {
        return readLine(StandardCharsets.UTF_8);
    }

    /** {@link #readLine()} with another charset. */
    public Future<String> readLine(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return cx -> pollReadLine(cx, charset);
    }

    private Poll<String> pollReadLine(Context cx, Charset charset) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        for (;;) {
            if (!reader.fill(cx)) {
                return Poll.pending();
            }
            ByteBuffer b = reader.buffered();
            if (!b.hasRemaining()) { // end of stream
                if (lineLength == 0) {
                    return Poll.ready(null);
                }
                return Poll.ready(takeLine(charset));
            }
            int start = b.position();
            int end = b.limit();
            byte[] a = b.array();
            for (int i = start; i < end; i++) {
                if (a[i] == '\n') {
                    append(a, start, i - start);
                    b.position(i + 1);
                    return Poll.ready(takeLine(charset));
                }
            }
            append(a, start, end - start);
            b.position(end);
        }
    }

    private void append(byte[] a, int from, int n) {
        if (lineLength + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(a, from, line, lineLength, n);
        lineLength += n;
    }

    private String takeLine(Charset charset) {
        int n = lineLength;
        lineLength = 0;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return new String(line, 0, n, charset);
    }

    /** Bytes of a line begun by a readLine that has not returned it; for tests. */
    int partialLineLength() {
        return lineLength;
    }

    /** Closes our end of the pipe; see the class documentation for a read in flight. Idempotent. */
    @Override
    public void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return reader.toString();
    }
}
