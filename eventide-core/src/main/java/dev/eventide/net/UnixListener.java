package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.io.IoFuture;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Unix-domain socket listening for connections at a path (tokio's {@code UnixListener}).
 * Binding creates the socket file, and fails if the path exists; closing does not delete it (as
 * with the JDK and tokio), so delete it when done.
 *
 * <p>One task at a time may wait in {@link #accept()}. Cancellation safety: a cancelled accept
 * loses no connection.
 */
public final class UnixListener implements AutoCloseable {
    private final Registration reg;
    private final ServerSocketChannel ch;
    private final Path path;

    private UnixListener(Registration reg, ServerSocketChannel ch, Path path) {
        this.reg = reg;
        this.ch = ch;
        this.path = path;
    }

    /**
     * Binds a listener at {@code path}.
     *
     * @throws UncheckedIOException if the socket cannot be bound (the path exists, for one)
     * @throws IllegalStateException if the calling thread belongs to no runtime
     */
    public static UnixListener bind(Path path) {
        Objects.requireNonNull(path, "path");
        var driver = Registration.currentDriver("UnixListener.bind");
        ServerSocketChannel ch = Sockets.openAndBind(
                () -> ServerSocketChannel.open(StandardProtocolFamily.UNIX),
                c -> c.bind(UnixDomainSocketAddress.of(path), TcpListener.DEFAULT_BACKLOG),
                "cannot open a Unix-domain socket to bind " + path,
                "cannot bind the Unix-domain socket " + path);
        return new UnixListener(Registration.register(driver, ch, SelectionKey.OP_ACCEPT, 0, "UnixListener.bind"),
                ch, path);
    }

    /** Accepts the next connection; the future fails if the listener is closed. */
    public Future<UnixStream> accept() {
        return new IoFuture<>(reg, Registration.READ) {
            @Override
            protected Poll<UnixStream> attempt(Context cx) {
                UnixStream s = pollAccept(cx);
                return s == null ? Poll.pending() : Poll.ready(s);
            }
        };
    }

    /** Accepts a connection if one is queued; otherwise registers {@code cx}'s waker and returns null. */
    public UnixStream pollAccept(Context cx) {
        SocketChannel conn = Accepting.poll(reg, ch, cx, path);
        if (conn == null) {
            return null;
        }
        Registration r = Registration.register(reg.driver(), conn, SelectionKey.OP_READ,
                SelectionKey.OP_WRITE, "accept on " + path);
        return new UnixStream(r, conn, UnixDomainSocketAddress.of(path));
    }

    /** The path this listener is bound to. */
    public Path path() {
        return path;
    }

    /** Stops listening (the socket file stays); a task waiting in {@link #accept()} fails. Idempotent. */
    @Override
    public void close() {
        try {
            reg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the listener on " + path + " failed: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "UnixListener[" + path + "]";
    }
}
