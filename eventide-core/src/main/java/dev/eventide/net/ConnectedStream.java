package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.io.AsyncRead;
import dev.eventide.io.AsyncWrite;
import dev.eventide.runtime.io.Registration;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What {@link TcpStream} and {@link UnixStream} share: a connected stream socket on the reactor,
 * its byte-stream operations, half-close, split and close. The operations' futures are
 * {@link StreamCore}'s, whose {@code cancel()} takes their waker back out of the registration
 * (the interfaces' default futures could not). Subclasses add their transport's own options.
 */
abstract class ConnectedStream implements AsyncRead, AsyncWrite, AutoCloseable {
    final StreamCore core;
    final SocketAddress peer;

    ConnectedStream(Registration reg, SocketChannel ch, SocketAddress peer) {
        this.core = new StreamCore(reg, ch, peer);
        this.peer = peer;
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        return core.pollRead(cx, dst);
    }

    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        return core.pollWrite(cx, src);
    }

    /** Sends end of stream (FIN); see {@link #shutdownOutput()}. */
    @Override
    public boolean pollShutdown(Context cx) {
        core.shutdownOutput();
        return true;
    }

    /** Reads what is available into {@code dst}: the count read (0 only if {@code dst} is full), or -1 at end of stream. */
    @Override
    public Future<Integer> read(ByteBuffer dst) {
        return core.read(dst);
    }

    /** Reads until {@code dst} is full; fails (cause {@code EOFException}) if the stream ends first. */
    @Override
    public Future<Void> readExact(ByteBuffer dst) {
        return core.readExact(dst);
    }

    /** Writes some of {@code src}: the count written. */
    @Override
    public Future<Integer> write(ByteBuffer src) {
        return core.write(src);
    }

    /** Writes all of {@code src}; pending while the peer's receive window and our send buffer are full. */
    @Override
    public Future<Void> writeAll(ByteBuffer src) {
        return core.writeAll(src);
    }

    /**
     * Sends end of stream (FIN) to the peer at once: the peer reads -1 once it has read what was
     * sent, and this stream can still read. Later writes fail.
     */
    public void shutdownOutput() {
        core.shutdownOutput();
    }

    /**
     * Splits this stream into a read half and a write half, for two tasks to use at once. The
     * stream itself must not be used afterwards; the connection closes when both halves are
     * closed.
     *
     * @throws IllegalStateException if already split or closed
     */
    public StreamHalves split() {
        core.split();
        return new StreamHalves(new ReadHalf(core, peer), new WriteHalf(core, peer));
    }

    /** The address of the peer (for a Unix stream: the path of the listening socket). */
    public SocketAddress peerAddress() {
        return peer;
    }

    /** Whether the stream is still open. */
    public boolean isOpen() {
        return core.isOpen();
    }

    /** Closes the connection; a task waiting on it fails with a closed-channel error. Idempotent. */
    @Override
    public void close() {
        core.closeNow();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + peer + "]";
    }
}
