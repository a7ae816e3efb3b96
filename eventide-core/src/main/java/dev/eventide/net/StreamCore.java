package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.runtime.Coop;
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
 * halves: the non-blocking read and write loops over a {@link Registration}, error wrapping
 * (every message names the peer), and the close that the two halves share.
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
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        for (;;) {
            int s = reg.pollReady(cx, Registration.READ);
            if (s == Registration.NOT_READY) {
                return AsyncRead.PENDING;
            }
            int n;
            try {
                n = ch.read(dst);
            } catch (IOException e) {
                throw failure("read from", e);
            }
            if (n != 0) {
                return n;
            }
            reg.clearReady(s, Registration.READ);
        }
    }

    int pollWrite(Context cx, ByteBuffer src) {
        if (!src.hasRemaining()) {
            return 0;
        }
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        for (;;) {
            int s = reg.pollReady(cx, Registration.WRITE);
            if (s == Registration.NOT_READY) {
                return AsyncRead.PENDING;
            }
            int n;
            try {
                n = ch.write(src);
            } catch (IOException e) {
                throw failure("write to", e);
            }
            if (n != 0) {
                return n;
            }
            reg.clearReady(s, Registration.WRITE);
        }
    }

    void shutdownOutput() {
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            throw failure("shut down output to", e);
        }
    }

    void shutdownInput() {
        try {
            ch.shutdownInput();
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

    /** The future of one read; cancelling it takes its waker back and loses no byte. */
    static final class Read extends IoFuture<Integer> {
        private final AsyncRead source;
        private final ByteBuffer dst;

        Read(Registration reg, AsyncRead source, ByteBuffer dst) {
            super(reg, Registration.READ);
            this.source = source;
            this.dst = dst;
        }

        @Override
        protected Poll<Integer> attempt(Context cx) {
            int n = source.pollRead(cx, dst);
            return n == AsyncRead.PENDING ? Poll.pending() : Poll.ready(n);
        }
    }

    /** The future of reading until {@code dst} is full; bytes read before a cancel stay in {@code dst}. */
    static final class ReadExact extends IoFuture<Void> {
        private final StreamCore core;
        private final ByteBuffer dst;

        ReadExact(StreamCore core, ByteBuffer dst) {
            super(core.reg, Registration.READ);
            this.core = core;
            this.dst = dst;
        }

        @Override
        protected Poll<Void> attempt(Context cx) {
            while (dst.hasRemaining()) {
                int n = core.pollRead(cx, dst);
                if (n == AsyncRead.PENDING) {
                    return Poll.pending();
                }
                if (n == AsyncRead.EOF) {
                    throw core.failure("read from", new java.io.EOFException(
                            "end of stream with " + dst.remaining() + " bytes still expected"));
                }
            }
            return Poll.ready(null);
        }
    }

    /** The future of writing all of {@code src}; after a cancel, {@code src}'s position says what was sent. */
    static final class WriteAll extends IoFuture<Void> {
        private final StreamCore core;
        private final ByteBuffer src;

        WriteAll(StreamCore core, ByteBuffer src) {
            super(core.reg, Registration.WRITE);
            this.core = core;
            this.src = src;
        }

        @Override
        protected Poll<Void> attempt(Context cx) {
            while (src.hasRemaining()) {
                if (core.pollWrite(cx, src) == AsyncRead.PENDING) {
                    return Poll.pending();
                }
            }
            return Poll.ready(null);
        }
    }

    /** The future of one write. */
    static final class Write extends IoFuture<Integer> {
        private final StreamCore core;
        private final ByteBuffer src;

        Write(StreamCore core, ByteBuffer src) {
            super(core.reg, Registration.WRITE);
            this.core = core;
            this.src = src;
        }

        @Override
        protected Poll<Integer> attempt(Context cx) {
            int n = core.pollWrite(cx, src);
            return n == AsyncRead.PENDING ? Poll.pending() : Poll.ready(n);
        }
    }
}
