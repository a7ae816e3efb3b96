package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.runtime.Coop;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.io.IoFuture;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connected-socket machinery shared by {@link TcpStream}, {@link UnixStream} and their
 * halves: the non-blocking read and write loop over a {@link Registration} (one loop, for
 * either direction), the futures of the operations built on it, error wrapping (every message
 * names the peer), and the close that the two halves share.
 */
final class StreamCore {
    final Registration reg;
    final SocketChannel ch;
    final String peerName;
    /** Owners still open: the stream (1), or its read half and write half (2). */
    private final AtomicInteger owners = new AtomicInteger(1);

    StreamCore(Registration reg, SocketChannel ch, SocketAddress peer) {
        this.reg = reg;
        this.ch = ch;
        this.peerName = String.valueOf(peer);
    }

    int pollRead(Context cx, ByteBuffer dst) {
        return pollTransfer(cx, dst, Registration.READ);
    }

    int pollWrite(Context cx, ByteBuffer src) {
        return pollTransfer(cx, src, Registration.WRITE);
    }

    /**
     * One read into or write from {@code buf} ({@code dir} is {@link Registration#READ} or
     * {@code WRITE}): the count (-1 at the end of the input), 0 if {@code buf} is empty, or
     * {@link AsyncRead#PENDING} with the waker stored. A socket that reads or writes nothing
     * after all clears its readiness (unless an event came since) and asks again.
     */
    private int pollTransfer(Context cx, ByteBuffer buf, int dir) {
        if (!buf.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        boolean read = dir == Registration.READ;
        for (;;) {
            int s = reg.pollReady(cx, dir);
            if (s == Registration.NOT_READY) {
                return AsyncRead.PENDING;
            }
            int n;
            try {
                n = read ? ch.read(buf) : ch.write(buf);
            } catch (IOException e) {
                throw failure(read ? "read from" : "write to", e);
            }
            if (n != 0) {
                return n;
            }
            reg.clearReady(s, dir);
        }
    }

    /** The future of one read: the count, or -1 at the end; a cancelled read loses no byte. */
    Future<Integer> read(ByteBuffer dst) {
        return new Once(this, Registration.READ, dst);
    }

    /** The future of reading until {@code dst} is full; bytes read before a cancel stay in {@code dst}. */
    Future<Void> readExact(ByteBuffer dst) {
        return new Whole(this, Registration.READ, dst);
    }

    /** The future of one write: the count. */
    Future<Integer> write(ByteBuffer src) {
        return new Once(this, Registration.WRITE, src);
    }

    /** The future of writing all of {@code src}; after a cancel, {@code src}'s position says what was sent. */
    Future<Void> writeAll(ByteBuffer src) {
        return new Whole(this, Registration.WRITE, src);
    }

    void shutdownOutput() {
        try {
            ExecContext.ioInOwnFrame(ch::shutdownOutput);
        } catch (IOException e) {
            throw failure("shut down output to", e);
        }
    }

    void shutdownInput() {
        try {
            ExecContext.ioInOwnFrame(ch::shutdownInput);
        } catch (IOException e) {
            throw failure("shut down input from", e);
        }
    }

    UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException(what + " " + peerName + " failed: " + e, e);
    }

    /** Splits ownership in two: from now on the channel closes when both halves have released it. */
    void split() {
        if (!owners.compareAndSet(1, 2)) {
            throw new IllegalStateException("this stream was already split or closed");
        }
    }

    /** Releases one owner's claim; the last one closes the channel. */
    void release() {
        if (owners.getAndUpdate(n -> Math.max(0, n - 1)) == 1) {
            closeNow();
        }
    }

    void closeNow() {
        owners.set(0);
        try {
            reg.close();
        } catch (IOException e) {
            throw failure("close of the connection to", e);
        }
    }

    boolean isOpen() {
        return ch.isOpen();
    }

    /**
     * The future of an operation on {@code buf} in direction {@code dir}; cancelling it takes its
     * waker back, so a cancelled read loses no byte, and {@code buf}'s position says how far a
     * cancelled operation got.
     */
    private abstract static class Transfer<T> extends IoFuture<T> {
        final StreamCore core;
        final int dir;
        final ByteBuffer buf;

        Transfer(StreamCore core, int dir, ByteBuffer buf) {
            super(core.reg, dir);
            this.core = core;
            this.dir = dir;
            this.buf = buf;
        }
    }

    /** One read or write: the count, or -1 at the end of the input. */
    private static final class Once extends Transfer<Integer> {
        Once(StreamCore core, int dir, ByteBuffer buf) {
            super(core, dir, buf);
        }

        @Override
        protected Poll<Integer> attempt(Context cx) {
            int n = core.pollTransfer(cx, buf, dir);
            return n == AsyncRead.PENDING ? Poll.pending() : Poll.ready(n);
        }
    }

    /** Reading until {@code buf} is full, or writing all of it. */
    private static final class Whole extends Transfer<Void> {
        Whole(StreamCore core, int dir, ByteBuffer buf) {
            super(core, dir, buf);
        }

        @Override
        protected Poll<Void> attempt(Context cx) {
            while (buf.hasRemaining()) {
                int n = core.pollTransfer(cx, buf, dir);
                if (n == AsyncRead.PENDING) {
                    return Poll.pending();
                }
                if (n == AsyncRead.EOF) { // only a read ends: a write never returns -1
                    throw core.failure("read from", new java.io.EOFException(
                            "end of stream with " + buf.remaining() + " bytes still expected"));
                }
            }
            return Poll.ready(null);
        }
    }
}
