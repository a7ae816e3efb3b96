package dev.eventide.net;

import dev.eventide.runtime.ExecContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;

/**
 * Opening and binding the package's sockets, written once for {@link TcpListener},
 * {@link UnixListener} and {@link UdpSocket}: the protocol family an address needs, and the
 * open-then-bind sequence whose failures become {@link UncheckedIOException}s and never leak a
 * half-made channel (what a failed step leaves open is closed, a failure to close is added as
 * suppressed).
 *
 * <p>Every synchronous call this package makes into a JDK channel, where an async block may be on
 * the stack, goes through {@link ExecContext#ioInOwnFrame}: the JDK's channels take
 * {@code ReentrantLock}s, which must not be inlined into a block's frame (see {@code ExecContext}).
 */
final class Sockets {
    private Sockets() {
    }

    /** Opening a channel. */
    @FunctionalInterface
    interface Open<C> {
        C open() throws IOException;
    }

    /** Setting an open channel up: options, then the bind. */
    @FunctionalInterface
    interface Bind<C> {
        void bind(C ch) throws IOException;
    }

    /** Closing what a failed step left open. */
    @FunctionalInterface
    interface Close {
        void close() throws IOException;
    }

    /** The family of a socket for {@code address}: IPv6 for an IPv6 address, else IPv4. */
    static StandardProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * Opens a channel and binds it; the channel is closed if the bind fails.
     *
     * @param openFailure the message (before {@code ": " + cause}) if the channel cannot be opened
     * @param bindFailure the message (before {@code ": " + cause}) if it cannot be bound
     * @throws UncheckedIOException if either step fails
     */
    static <C extends Channel> C openAndBind(Open<C> open, Bind<? super C> bind, String openFailure,
            String bindFailure) {
        C ch;
        try {
            ch = ExecContext.ioInOwnFrame(open::open);
        } catch (IOException e) {
            throw new UncheckedIOException(openFailure + ": " + e, e);
        }
        try {
            ExecContext.ioInOwnFrame(() -> {
                bind.bind(ch);
                return null;
            });
        } catch (IOException e) {
            throw closeAfter(e, ch::close, bindFailure);
        }
        return ch;
    }

    /**
     * Closes what the step that failed with {@code e} left open, and returns the exception to throw:
     * {@code failure + ": " + e}, caused by {@code e} (which carries a failure to close as
     * suppressed).
     */
    static UncheckedIOException closeAfter(IOException e, Close close, String failure) {
        try {
            close.close();
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
        return new UncheckedIOException(failure + ": " + e, e);
    }
}
