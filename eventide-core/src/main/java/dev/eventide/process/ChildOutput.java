package dev.eventide.process;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.offload.BlockingReader;
import dev.eventide.runtime.Coop;
import java.io.ByteArrayOutputStream;
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
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();

    ChildOutput(BlockingReader reader) {
        this.reader = reader;
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        if (partialLine.size() > 0) {
            throw new IllegalStateException("a line was partly read by a cancelled readLine(): finish it with"
                    + " readLine() before reading bytes");
        }
        return reader.pollRead(cx, dst);
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
                if (partialLine.size() == 0) {
                    return Poll.ready(null);
                }
                return Poll.ready(takeLine(charset));
            }
            int start = b.position();
            int end = b.limit();
            byte[] a = b.array();
            for (int i = start; i < end; i++) {
                if (a[i] == '\n') {
                    partialLine.write(a, start, i - start);
                    b.position(i + 1);
                    return Poll.ready(takeLine(charset));
                }
            }
            partialLine.write(a, start, end - start);
            b.position(end);
        }
    }

    private String takeLine(Charset charset) {
        byte[] line = partialLine.toByteArray();
        partialLine.reset();
        int n = line.length;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return new String(line, 0, n, charset);
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
