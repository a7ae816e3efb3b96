package dev.eventide.io;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A buffering {@link AsyncRead} (tokio's {@code BufReader}): reads from its source in large
 * chunks, and reads text line by line.
 *
 * <pre>{@code
 * BufReader in = new BufReader(stream);
 * for (String line; (line = in.readLine().await()) != null; ) {
 *     handle(line);
 * }
 * }</pre>
 *
 * <p>Lines end at {@code '\n'}; a {@code '\r'} before it is dropped too; the last line needs no
 * terminator. Lines are decoded with the reader's charset (UTF-8 by default). A line longer than
 * the maximum length fails the read with an {@link UncheckedIOException} (so a peer cannot make
 * the reader buffer without bound).
 *
 * <p>Cancellation safety: nothing is lost. Buffered bytes and the part of a line read so far
 * belong to the reader, not to the future, so a cancelled {@link #readLine()} is resumed by the
 * next one; a cancelled {@link #read} loses no byte.
 *
 * <p>Not thread-safe: one task reads at a time.
 */
public final class BufReader implements AsyncRead {
    /** The default buffer capacity, 8 KiB. */
    public static final int DEFAULT_CAPACITY = 8 * 1024;
    /** The default maximum line length, 64 KiB. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    private final AsyncRead source;
    private final ByteBuffer buf;
    private final Charset charset;
    private final int maxLine;
    private byte[] line = new byte[128];
    private int lineLen;

    /** A reader of {@code source} with an 8 KiB buffer, UTF-8 lines of at most 64 KiB. */
    public BufReader(AsyncRead source) {
        this(source, DEFAULT_CAPACITY, StandardCharsets.UTF_8, DEFAULT_MAX_LINE);
    }

    /**
     * A reader of {@code source}.
     *
     * @param capacity the buffer's size in bytes (at least 1)
     * @param charset how lines are decoded
     * @param maxLineLength the longest line accepted, in bytes without its terminator (at least 1)
     */
    public BufReader(AsyncRead source, int capacity, Charset charset, int maxLineLength) {
        this.source = Objects.requireNonNull(source, "source");
        this.charset = Objects.requireNonNull(charset, "charset");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be at least 1, got " + maxLineLength);
        }
        this.buf = ByteBuffer.allocate(capacity).flip(); // read mode, empty
        this.maxLine = maxLineLength;
    }

    /** The number of bytes buffered and not yet read (excluding a partial line). */
    public int buffered() {
        return buf.remaining();
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!buf.hasRemaining()) {
            if (dst.remaining() >= buf.capacity()) {
                return source.pollRead(cx, dst); // as large as our buffer: no point copying twice
            }
            int n = fill(cx);
            if (n < 0) {
                return n;
            }
        }
        int n = Math.min(buf.remaining(), dst.remaining());
        dst.put(dst.position(), buf, buf.position(), n);
        dst.position(dst.position() + n);
        buf.position(buf.position() + n);
        return n;
    }

    /** Refills the empty buffer: the count read, {@link #EOF} or {@link #PENDING}. */
    private int fill(Context cx) {
        buf.clear();
        int n;
        try {
            n = source.pollRead(cx, buf);
        } finally {
            buf.flip();
        }
        return n;
    }

    /**
     * Reads the next line, without its terminator; null at end of stream.
     *
     * @return a future of the line; it fails with an {@link UncheckedIOException} on an I/O error
     *         or a line longer than the maximum
     */
    public Future<String> readLine() {
        return this::pollLine;
    }

    /** The lines of this reader, read one by one with {@link Lines#next()}. */
    public Lines lines() {
        return new Lines(this);
    }

    /** Reads a line if one is complete (or the stream ended): see {@link #readLine()}. */
    public Poll<String> pollLine(Context cx) {
        for (;;) {
            int start = buf.position();
            int end = buf.limit();
            for (int i = start; i < end; i++) {
                if (buf.get(i) == '\n') {
                    append(start, i);
                    buf.position(i + 1);
                    return Poll.ready(takeLine());
                }
            }
            append(start, end);
            buf.position(end);
            int n = fill(cx);
            if (n == PENDING) {
                return Poll.pending();
            }
            if (n == EOF) {
                return Poll.ready(lineLen > 0 ? takeLine() : null);
            }
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (lineLen + n > maxLine + 1) { // + 1: room for a '\r' before the '\n'
            lineLen = 0;
            throw new UncheckedIOException(new IOException(
                    "line longer than the maximum of " + maxLine + " bytes"));
        }
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLen + n, line.length * 2));
        }
        buf.get(from, line, lineLen, n);
        lineLen += n;
    }

    private String takeLine() {
        int len = lineLen > 0 && line[lineLen - 1] == '\r' ? lineLen - 1 : lineLen;
        lineLen = 0;
        if (len > maxLine) {
            throw new UncheckedIOException(new IOException(
                    "line longer than the maximum of " + maxLine + " bytes"));
        }
        return new String(line, 0, len, charset);
    }
}
