package dev.eventide.fs;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.io.AsyncWrite;
import dev.eventide.offload.Offload;
import dev.eventide.runtime.Coop;
import dev.eventide.runtime.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * An open file read and written without blocking a worker (tokio's {@code tokio::fs::File}):
 * an {@link AsyncRead} and {@link AsyncWrite} with a position that {@link #seek} moves.
 *
 * <pre>{@code
 * try (AsyncFile f = AsyncFile.open(path, READ, WRITE, CREATE).await()) {
 *     f.writeAll(ByteBuffer.wrap(bytes)).await();
 *     f.seek(0).await();
 *     int n = f.read(buffer).await();
 * }
 * }</pre>
 *
 * <h2>Implementation overview</h2>
 * A {@link FileChannel} whose calls run on the runtime's blocking pool, one at a time: the file
 * has at most one operation in flight, and it belongs to the file, not to the future that
 * started it. Every operation first waits for the one in flight. One heap buffer
 * ({@value #BUFFER_SIZE} bytes) is reused for every operation:
 * <ul>
 *   <li>A read that finds no bytes left in the buffer hands one positional read of up to
 *       {@code min(buffer, dst.remaining())} bytes to the pool and returns pending; when it
 *       completes, the bytes are copied into {@code dst}. Extra bytes stay buffered for the next
 *       read.</li>
 *   <li>A write copies up to one buffer of {@code src} into the buffer, hands their positional
 *       write to the pool, and returns their count at once, as tokio does: the bytes are written
 *       even if nobody waits. A failure of that write is thrown by the next operation
 *       ({@link #flush()} is the way to wait for it).</li>
 * </ul>
 * Positions are the file's own ({@link #position()}), kept here, not in the channel: reads and
 * writes are positional, so a seek costs nothing and buffered read-ahead never has to be undone.
 * A file opened with {@code APPEND} writes at the end of the file whatever the position.
 *
 * <h2>Cancellation</h2>
 * Nothing is lost by cancelling a read: the read in flight completes into the file's buffer and
 * the next read returns its bytes. A cancelled write has written, or will write, exactly the
 * bytes its last poll counted. Cancelling {@link #open} closes the file if the open completes
 * anyway.
 *
 * <h2>Closing</h2>
 * {@link #close()} closes the file once the operation in flight (if any) has finished, so a
 * write already handed over is not cut off, not even by the runtime's shutdown (the write runs
 * on the blocking pool as a mandatory job, as in tokio); it is idempotent and may be called from
 * any thread.
 * A file opened by a task of a runtime is registered with it: closing the runtime closes every
 * file still open. An {@code AsyncFile} is used by one task at a time, as tokio's {@code File}
 * is ({@code &mut self}); hand it over through a channel or guard it with a mutex.
 */
public final class AsyncFile implements AsyncRead, AsyncWrite, AutoCloseable {
    /** The size of the file's buffer: the most bytes one blocking read or write moves. */
    public static final int BUFFER_SIZE = 64 * 1024;

    private static final int NONE = 0;
    private static final int READ = 1;
    private static final int WRITE = 2;

    private final FileChannel channel;
    private final Path path;
    private final boolean append;
    private final Scheduler owner;
    // Read-ahead: bytes [position, limit) are the file's bytes at `position`. During a write, the
    // bytes handed to the pool. Touched by the pool thread only while an operation is in flight.
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_SIZE);
    private final Callable<Long> readOp = this::readBlocking;
    private final Callable<Long> writeOp = this::writeBlocking;
    private long position;
    private long opAt; // where the operation in flight reads or writes
    private int opKind = NONE;
    private boolean eofSeen;
    private volatile Offload<Long> inFlight; // read by close() from any thread
    private volatile boolean closed;

    private AsyncFile(FileChannel channel, Path path, boolean append, Scheduler owner) {
        this.channel = channel;
        this.path = path;
        this.append = append;
        this.owner = owner;
        buf.limit(0);
    }

    // ------------------------------------------------------------------ opening

    /**
     * Opens a file with {@code options} as {@link FileChannel#open(Path, OpenOption...)} takes
     * them (none: read only). The future fails with {@link UncheckedIOException} (cause
     * {@code NoSuchFileException}, {@code AccessDeniedException}, ...).
     *
     * @throws IllegalArgumentException at the call, for a combination the JDK refuses
     *     ({@code READ} with {@code APPEND}, {@code APPEND} with {@code TRUNCATE_EXISTING})
     */
    public static Future<AsyncFile> open(Path path, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Set<OpenOption> opts = new HashSet<>();
        for (OpenOption o : options) {
            opts.add(Objects.requireNonNull(o, "options[i]"));
        }
        boolean append = opts.contains(StandardOpenOption.APPEND);
        if (append && opts.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("options: READ + APPEND is not allowed (the JDK refuses it)");
        }
        if (append && opts.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            throw new IllegalArgumentException("options: APPEND + TRUNCATE_EXISTING is not allowed");
        }
        Offload<FileChannel> opening = Offload.of("AsyncFile.open", path, () -> FileChannel.open(path, opts))
                .discardWith(AsyncFile::closeQuietly);
        return new Future<>() {
            @Override
            public Poll<AsyncFile> poll(Context cx) {
                Poll<FileChannel> p = opening.poll(cx);
                if (!p.isReady()) {
                    return Poll.pending();
                }
                AsyncFile f = new AsyncFile(p.value(), path, append, Offload.currentScheduler());
                if (f.owner != null && !f.owner.registerResource(f)) {
                    closeQuietly(f.channel);
                    throw new CancelledException("the runtime was closed while " + path + " was being opened");
                }
                return Poll.ready(f);
            }

            @Override
            public void cancel() {
                opening.cancel();
            }
        };
    }

    /** Opens a file for writing, creating it or truncating it ({@code WRITE, CREATE, TRUNCATE_EXISTING}). */
    public static Future<AsyncFile> create(Path path) {
        return open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    // ------------------------------------------------------------------ reading and writing

    /** Reads at the position, which moves by the count returned; see {@link AsyncRead}. */
    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        for (;;) {
            if (inFlight != null) {
                if (!complete(cx)) {
                    return PENDING;
                }
                if (eofSeen) {
                    eofSeen = false;
                    return EOF;
                }
            }
            if (buf.hasRemaining()) {
                if (!Coop.proceed(cx)) {
                    return PENDING;
                }
                int n = Math.min(buf.remaining(), dst.remaining());
                int start = buf.position();
                dst.put(buf.array(), start, n);
                buf.position(start + n);
                position += n;
                return n;
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            ensureOpen("read");
            buf.clear().limit(Math.min(BUFFER_SIZE, dst.remaining()));
            start(READ, position, readOp);
        }
    }

    /**
     * Hands up to {@value #BUFFER_SIZE} bytes of {@code src} to a write at the position (at the
     * end, for {@code APPEND}) and returns their count; see the class documentation.
     */
    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        if (inFlight != null && !complete(cx)) {
            return PENDING;
        }
        ensureOpen("write");
        if (!src.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        int n = Math.min(BUFFER_SIZE, src.remaining());
        buf.clear();
        buf.put(buf.position(), src, src.position(), n).limit(n);
        src.position(src.position() + n);
        long at = position;
        if (!append) {
            position += n;
        }
        start(WRITE, at, writeOp);
        return n;
    }

    /** True once the operation in flight (a write handed over) has finished; throws its failure. */
    @Override
    public boolean pollFlush(Context cx) {
        return inFlight == null || complete(cx);
    }

    /** Files have no half-close: shutting down is flushing (as in tokio). */
    @Override
    public boolean pollShutdown(Context cx) {
        return pollFlush(cx);
    }

    private void start(int kind, long at, Callable<Long> op) {
        opKind = kind;
        opAt = at;
        Offload<Long> call = Offload.of(kind == READ ? "AsyncFile.read" : "AsyncFile.write", path, op);
        if (kind == WRITE) {
            call.mandatory(); // a write handed over must happen, even if the runtime closes first
        }
        inFlight = call.start();
    }

    /** Waits for the operation in flight; false if it is still running (waker registered). */
    private boolean complete(Context cx) {
        Poll<Long> p;
        try {
            p = inFlight.poll(cx);
        } catch (RuntimeException e) {
            inFlight = null;
            buf.limit(0);
            throw e;
        }
        if (!p.isReady()) {
            return false;
        }
        inFlight = null;
        long v = p.value();
        if (opKind == READ) {
            eofSeen = v < 0; // reported by pollRead only; any other operation forgets it
            if (eofSeen) {
                buf.limit(0);
            } else {
                buf.flip();
            }
        } else {
            buf.limit(0);
            if (append) {
                position = v;
            }
        }
        opKind = NONE;
        return true;
    }

    private Long readBlocking() throws IOException {
        return (long) channel.read(buf, opAt);
    }

    private Long writeBlocking() throws IOException {
        if (append) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return channel.position();
        }
        long at = opAt;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
        return at;
    }

    // ------------------------------------------------------------------ position and metadata

    /** The position of the next read or write (for {@code APPEND}, known after a flush). */
    public long position() {
        return position;
    }

    /**
     * A future that waits for the operation in flight, drops buffered read-ahead and moves the
     * position to {@code newPosition} (beyond the end is allowed: a write there leaves a hole).
     * Completes with the new position.
     *
     * @throws IllegalArgumentException at the call, if {@code newPosition} is negative
     */
    public Future<Long> seek(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("newPosition must be >= 0, got " + newPosition);
        }
        return cx -> {
            if (inFlight != null && !complete(cx)) {
                return Poll.pending();
            }
            ensureOpen("seek");
            buf.limit(0);
            eofSeen = false;
            position = newPosition;
            return Poll.ready(newPosition);
        };
    }

    /** The file's current size, after the operation in flight. */
    public Future<Long> size() {
        return afterInFlight("AsyncFile.size", channel::size);
    }

    /** Truncates or extends the file to {@code length} bytes, after the operation in flight. */
    public Future<Void> setLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        return afterInFlight("AsyncFile.setLength", () -> {
            if (channel.size() > length) {
                channel.truncate(length);
            } else if (channel.size() < length) {
                channel.write(ByteBuffer.allocate(1), length - 1);
            }
            return null;
        });
    }

    /** Forces written bytes and metadata to the storage device ({@code fsync}), after the operation in flight. */
    public Future<Void> sync() {
        return afterInFlight("AsyncFile.sync", () -> {
            channel.force(true);
            return null;
        });
    }

    private <T> Future<T> afterInFlight(String op, Callable<T> call) {
        Offload<T> job = Offload.of(op, path, call);
        return new Future<>() {
            @Override
            public Poll<T> poll(Context cx) {
                if (inFlight != null && !complete(cx)) {
                    return Poll.pending();
                }
                ensureOpen(op);
                return job.poll(cx);
            }

            @Override
            public void cancel() {
                job.cancel();
            }
        };
    }

    // ------------------------------------------------------------------ closing

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the file once the operation in flight, if any, has finished (a write handed over is
     * not cut off); later operations throw {@link UncheckedIOException} caused by
     * {@link ClosedChannelException}. Idempotent, any thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner != null) {
            owner.deregisterResource(this);
        }
        Offload<Long> f = inFlight;
        if (f == null) {
            closeQuietly(channel);
        } else {
            f.whenDone(() -> closeQuietly(channel));
        }
    }

    private void ensureOpen(String op) {
        if (closed) {
            ClosedChannelException e = new ClosedChannelException();
            throw new UncheckedIOException(Offload.describe(op, path, e), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            System.getLogger("dev.eventide.fs").log(System.Logger.Level.WARNING, "closing a file failed", e);
        }
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + (closed ? ", closed" : ", position " + position) + "]";
    }
}
