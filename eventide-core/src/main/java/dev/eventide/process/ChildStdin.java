package dev.eventide.process;

import dev.eventide.Context;
import dev.eventide.io.AsyncWrite;
import dev.eventide.offload.BlockingWriter;
import java.nio.ByteBuffer;

/**
 * The writing end of a child's standard input pipe: an {@link AsyncWrite} whose writes run on
 * the blocking pool, one at a time.
 *
 * <p>A write copies up to {@value Child#PIPE_BUFFER} bytes and returns their count at once; they
 * are written (and flushed to the pipe) even if the writing future is cancelled, and a failure
 * (the child closed its end: {@code IOException: Broken pipe}) is thrown by the next operation.
 * A child that does not read holds the next write back: the writer waits, nothing piles up.
 * {@link #shutdown()} (or {@link #close()}) closes the pipe, so the child reads end of stream.
 */
public final class ChildStdin implements AsyncWrite, AutoCloseable {
    private final BlockingWriter writer;

    ChildStdin(BlockingWriter writer) {
        this.writer = writer;
    }

    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        return writer.pollWrite(cx, src);
    }

    /** True once the last write has reached the pipe. */
    @Override
    public boolean pollFlush(Context cx) {
        return writer.pollFlush(cx);
    }

    /** Waits for the last write, then closes the pipe. */
    @Override
    public boolean pollShutdown(Context cx) {
        return writer.pollShutdown(cx);
    }

    /** Closes the pipe after the write in flight, if any. Idempotent, any thread. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return writer.toString();
    }
}
