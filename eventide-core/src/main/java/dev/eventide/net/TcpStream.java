package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.io.AsyncRead;
import dev.eventide.io.AsyncWrite;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP connection driven by the runtime's reactor (tokio's {@code TcpStream}).
 *
 * <pre>{@code
 * try (TcpStream s = TcpStream.connect(new InetSocketAddress("127.0.0.1", port)).await()) {
 *     s.setNoDelay(true);
 *     s.writeAll(ByteBuffer.wrap(request)).await();
 *     ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
 *     int n = s.read(buf).await();          // -1 at end of stream
 * }
 * }</pre>
 *
 * <p>Operations try the system call first and wait for the reactor only if it would block; they
 * read into and write from the caller's buffer directly. One task at a time may read and one may
 * write; for a reader and a writer in two tasks, {@link #split()} the stream.
 *
 * <p>Errors (a reset, a write after {@link #shutdownOutput()}, a closed stream) are thrown to the
 * task that made the call as {@link UncheckedIOException}s whose cause is the JDK's
 * {@link IOException} and whose message names the peer. End of stream is not an error:
 * {@code read} returns -1.
 *
 * <p>Cancellation safety: a cancelled {@code read} loses no byte (bytes are only copied into the
 * caller's buffer by the poll that returns them), and a cancelled {@code readExact} leaves what
 * it read in the buffer; a cancelled {@code writeAll} may have sent part of its buffer, whose
 * position tells how much. A cancelled {@link #connect} closes its socket.
 *
 * <p>The socket belongs to the runtime that created it: closing the runtime closes it.
 */
public final class TcpStream implements AsyncRead, AsyncWrite, AutoCloseable {
    private final StreamCore core;
    private final SocketAddress peer;

    TcpStream(Registration reg, SocketChannel ch, SocketAddress peer) {
        this.core = new StreamCore(reg, ch, peer);
        this.peer = peer;
    }

    /**
     * Connects to {@code address}. The future fails with an {@link UncheckedIOException} (cause
     * {@code java.net.ConnectException} for a refused connection) and closes its socket; if
     * cancelled, it also closes its socket.
     *
     * @throws IllegalStateException if the calling thread belongs to no runtime
     */
    public static Future<TcpStream> connect(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is unresolved; resolve it first"
                    + " (name resolution blocks: use Eventide.spawnBlocking)");
        }
        var driver = Registration.currentDriver("TcpStream.connect");
        return new Connecting<>(driver, address.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET, address, TcpStream::new);
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

    /** Writes all of {@code src}; pending while the peer's receive window and our send buffer are full. */
    @Override
    public Future<Void> writeAll(ByteBuffer src) {
        return new StreamCore.WriteAll(core, src);
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

    /** The address of the peer. */
    public SocketAddress peerAddress() {
        return peer;
    }

    /** The local address this socket is bound to. */
    public SocketAddress localAddress() {
        try {
            return core.ch.getLocalAddress();
        } catch (IOException e) {
            throw core.failure("local address of the connection to", e);
        }
    }

    /** Sets {@code TCP_NODELAY}: true sends small writes at once instead of coalescing them (Nagle). */
    public void setNoDelay(boolean on) {
        setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    /** Whether {@code TCP_NODELAY} is set. */
    public boolean noDelay() {
        return getOption(StandardSocketOptions.TCP_NODELAY);
    }

    /**
     * Sets a socket option ({@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_KEEPALIVE},
     * {@code SO_LINGER} is refused: a lingering close would block the reactor).
     *
     * @throws IllegalArgumentException for {@code SO_LINGER} or an option the socket does not support
     */
    public <T> TcpStream setOption(SocketOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        if (option == StandardSocketOptions.SO_LINGER) {
            throw new IllegalArgumentException("option SO_LINGER is not supported: a lingering close would block"
                    + " the thread that closes the socket");
        }
        try {
            core.ch.setOption(option, value);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("option " + option + " is not supported by a TCP socket", e);
        } catch (IOException e) {
            throw core.failure("setting " + option + " on the connection to", e);
        }
        return this;
    }

    /** The value of a socket option. */
    public <T> T getOption(SocketOption<T> option) {
        Objects.requireNonNull(option, "option");
        try {
            return core.ch.getOption(option);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("option " + option + " is not supported by a TCP socket", e);
        } catch (IOException e) {
            throw core.failure("reading " + option + " of the connection to", e);
        }
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
        return "TcpStream[" + peer + "]";
    }
}
