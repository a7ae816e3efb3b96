package dev.eventide.net;

import dev.eventide.Future;
import dev.eventide.runtime.io.Registration;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Unix-domain stream connection (tokio's {@code UnixStream}); it behaves as a
 * {@link TcpStream} without the TCP options: same operations, errors and cancellation safety.
 */
public final class UnixStream extends ConnectedStream {

    UnixStream(Registration reg, SocketChannel ch, SocketAddress peer) {
        super(reg, ch, peer);
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
}
