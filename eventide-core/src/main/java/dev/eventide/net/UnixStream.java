package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.io.AsyncRead;
import dev.eventide.io.AsyncWrite;
import dev.eventide.runtime.io.Registration;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Unix-domain stream connection (tokio's {@code UnixStream}); it behaves as a
 * {@link TcpStream} without the TCP options: same operations, errors and cancellation safety.
 */
public final class UnixStream implements AsyncRead, AsyncWrite, AutoCloseable {
    private final StreamCore core;
    private final SocketAddress peer;

    UnixStream(Registration reg, SocketChannel ch, SocketAddress peer) {
        this.core = new StreamCore(reg, ch, peer);
        this.peer = peer;
    }

    /**
     * Connects to the Unix-domain socket at {@code path}; the future fails with an
     * {@link java.io.UncheckedIOException} if nobody listens there. A cancelled connect closes
     * its socket.
     *
     * @throws IllegalStateException if the calling thread belongs to no runtime
     */
    public static Future<UnixStream> connect(Path path) {
        Objects.requireNonNull(path, "path");
        var driver = Registration.currentDriver("UnixStream.connect");
        SocketAddress address = UnixDomainSocketAddress.of(path);
        return new Connecting<>(driver, StandardProtocolFamily.UNIX, address,
                (reg, ch, remote) -> new UnixStream(reg, ch, address));
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        return core.pollRead(cx, dst);
    }

    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        return core.pollWrite(cx, src);
    }

    /** Sends end of stream to the peer; this stream can still read. */
    @Override
    public boolean pollShutdown(Context cx) {
        core.shutdownOutput();
        return true;
    }

    /** Reads what is available: the count read (0 only if {@code dst} is full), or -1 at end of stream. */
    @Override
    public Future<Integer> read(ByteBuffer dst) {
        return new StreamCore.Read(core.reg, this, dst);
    }

    /** Reads until {@code dst} is full; fails (cause {@code EOFException}) if the stream ends first. */
    @Override
    public Future<Void> readExact(ByteBuffer dst) {
        return new StreamCore.ReadExact(core, dst);
    }

    /** Writes some of {@code src}: the count written. */
    @Override
    public Future<Integer> write(ByteBuffer src) {
        return new StreamCore.Write(core, src);
    }

    /** Writes all of {@code src}. */
    @Override
    public Future<Void> writeAll(ByteBuffer src) {
        return new StreamCore.WriteAll(core, src);
    }

    /** Sends end of stream to the peer at once; later writes fail. */
    public void shutdownOutput() {
        core.shutdownOutput();
    }

    /** Splits the stream into halves for two tasks; see {@link TcpStream#split()}. */
    public StreamHalves split() {
        core.split();
        return new StreamHalves(new ReadHalf(core, peer), new WriteHalf(core, peer));
    }

    /** The path of the listening socket this stream connects to (for an accepted stream: the listener's). */
    public SocketAddress peerAddress() {
        return peer;
    }

    /** Whether the stream is still open. */
    public boolean isOpen() {
        return core.isOpen();
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        core.closeNow();
    }

    @Override
    public String toString() {
        return "UnixStream[" + peer + "]";
    }
}
