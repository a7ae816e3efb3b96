package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.io.IoFuture;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A TCP socket listening for connections (tokio's {@code TcpListener}).
 *
 * <pre>{@code
 * try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     for (;;) {
 *         TcpStream conn = listener.accept().await();
 *         Eventide.spawn(() -> serve(conn));
 *     }
 * }
 * }</pre>
 *
 * <p>One task at a time may wait in {@link #accept()}. Cancellation safety: a cancelled accept
 * loses no connection: connections are taken from the kernel's queue only by the poll that
 * returns them.
 */
public final class TcpListener implements AutoCloseable {
    /** The backlog {@link #bind(InetSocketAddress)} uses (tokio's default). */
    public static final int DEFAULT_BACKLOG = 1024;

    private final Registration reg;
    private final ServerSocketChannel ch;
    private final InetSocketAddress local;

    private TcpListener(Registration reg, ServerSocketChannel ch, InetSocketAddress local) {
        this.reg = reg;
        this.ch = ch;
        this.local = local;
    }

    /** Binds a listener to {@code address} with the {@linkplain #DEFAULT_BACKLOG default backlog}; port 0 picks a free port. */
    public static TcpListener bind(InetSocketAddress address) {
        return bind(address, DEFAULT_BACKLOG);
    }

    /**
     * Binds a listener to {@code address} (port 0: a free port, see {@link #localAddress()}),
     * with {@code SO_REUSEADDR} set, as tokio does.
     *
     * @param backlog the kernel's queue of connections not yet accepted (at least 1)
     * @throws UncheckedIOException if the address cannot be bound (cause {@code BindException}
     *         when the port is in use)
     * @throws IllegalStateException if the calling thread belongs to no runtime
     */
    public static TcpListener bind(InetSocketAddress address, int backlog) {
        Objects.requireNonNull(address, "address");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
        var driver = Registration.currentDriver("TcpListener.bind");
        ServerSocketChannel ch = Sockets.openAndBind(
                () -> ServerSocketChannel.open(Sockets.familyOf(address)),
                c -> {
                    c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    c.bind(address, backlog);
                },
                "cannot open a socket to bind " + address, "cannot bind " + address);
        Registration reg = Registration.register(driver, ch, SelectionKey.OP_ACCEPT, 0, "TcpListener.bind");
        try {
            return new TcpListener(reg, ch, (InetSocketAddress) ExecContext.ioInOwnFrame(ch::getLocalAddress));
        } catch (IOException e) {
            throw Sockets.closeAfter(e, reg::close, "cannot read the local address of " + address);
        }
    }

    /**
     * Accepts the next connection. The stream belongs to the same runtime as this listener.
     *
     * @return a future of the accepted stream; it fails with an {@link UncheckedIOException}
     *         if the listener is closed
     */
    public Future<TcpStream> accept() {
        return new IoFuture<>(reg, Registration.READ) {
            @Override
            protected Poll<TcpStream> attempt(Context cx) {
                TcpStream s = pollAccept(cx);
                return s == null ? Poll.pending() : Poll.ready(s);
            }
        };
    }

    /**
     * Accepts a connection if one is queued; otherwise arranges for {@code cx}'s waker to be woken
     * when one may be, and returns null.
     */
    public TcpStream pollAccept(Context cx) {
        SocketChannel conn = Accepting.poll(reg, ch, cx, local);
        return conn == null ? null : adopt(conn);
    }

    private TcpStream adopt(SocketChannel conn) {
        Registration r = Registration.register(reg.driver(), conn, SelectionKey.OP_READ, SelectionKey.OP_WRITE,
                "accept on " + local);
        return new TcpStream(r, conn, remoteOf(conn));
    }

    /** The peer of a new connection, or null if it was reset before we could ask. */
    static java.net.SocketAddress remoteOf(SocketChannel conn) {
        try {
            return conn.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** The address this listener is bound to (with the port picked, if bound to port 0). */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** Stops listening; a task waiting in {@link #accept()} fails. Idempotent. */
    @Override
    public void close() {
        try {
            reg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the listener on " + local + " failed: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "TcpListener[" + local + "]";
    }
}
