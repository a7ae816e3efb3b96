package dev.eventide.net;

import dev.eventide.Future;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
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
public final class TcpStream extends ConnectedStream {

    TcpStream(Registration reg, SocketChannel ch, SocketAddress peer) {
        super(reg, ch, peer);
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
        return new Connecting<>(driver, Sockets.familyOf(address), address, TcpStream::new);
    }

    /** The local address this socket is bound to. */
    public SocketAddress localAddress() {
        try {
            return ExecContext.ioInOwnFrame(core.ch::getLocalAddress);
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
            ExecContext.ioInOwnFrame(() -> core.ch.setOption(option, value));
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
            return ExecContext.ioInOwnFrame(() -> core.ch.getOption(option));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("option " + option + " is not supported by a TCP socket", e);
        } catch (IOException e) {
            throw core.failure("reading " + option + " of the connection to", e);
        }
    }
}
