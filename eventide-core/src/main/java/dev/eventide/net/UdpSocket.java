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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Objects;

/**
 * A UDP socket driven by the runtime's reactor (tokio's {@code UdpSocket}).
 *
 * <pre>{@code
 * try (UdpSocket s = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     s.sendTo(ByteBuffer.wrap(ping), server).await();
 *     ByteBuffer buf = ByteBuffer.allocate(1500);
 *     SocketAddress from = s.recvFrom(buf).await();
 * }
 * }</pre>
 *
 * <p>Each send sends one datagram, each receive takes one; a datagram larger than the room left
 * in the receive buffer is truncated (the rest is discarded, as by the operating system). One
 * task at a time may receive and one may send.
 *
 * <p>Cancellation safety: a cancelled receive loses no datagram (it is taken from the kernel only
 * by the poll that returns it); a cancelled send has sent nothing or the whole datagram.
 */
public final class UdpSocket implements AutoCloseable {
    private final Registration reg;
    private final DatagramChannel ch;
    private final SocketAddress local;
    private volatile SocketAddress peer;

    private UdpSocket(Registration reg, DatagramChannel ch, SocketAddress local) {
        this.reg = reg;
        this.ch = ch;
        this.local = local;
    }

    /**
     * Binds a UDP socket to {@code address} (port 0: a free port).
     *
     * @throws UncheckedIOException if the address cannot be bound (cause {@code BindException})
     * @throws IllegalStateException if the calling thread belongs to no runtime
     */
    public static UdpSocket bind(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        var driver = Registration.currentDriver("UdpSocket.bind");
        DatagramChannel ch = Sockets.openAndBind(
                () -> DatagramChannel.open(Sockets.familyOf(address)),
                c -> c.bind(address),
                "cannot open a socket to bind " + address, "cannot bind " + address);
        SocketAddress local;
        try {
            local = ExecContext.ioInOwnFrame(ch::getLocalAddress);
        } catch (IOException e) {
            throw Sockets.closeAfter(e, ch::close, "cannot bind " + address);
        }
        Registration reg = Registration.register(driver, ch, SelectionKey.OP_READ, SelectionKey.OP_WRITE,
                "UdpSocket.bind");
        return new UdpSocket(reg, ch, local);
    }

    /**
     * Connects this socket to {@code address}: {@link #send} and {@link #recv} then talk to it
     * only (datagrams from elsewhere are dropped). Does not wait: UDP has no handshake.
     */
    public void connect(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        try {
            peer = ExecContext.ioInOwnFrame(() -> ch.connect(address).getRemoteAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("UDP connect of " + local + " to " + address + " failed: " + e, e);
        }
    }

    /** Sends {@code src} as one datagram to the connected peer: the count of bytes sent. */
    public Future<Integer> send(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        SocketAddress p = peer;
        if (p == null) {
            throw new IllegalStateException("send needs a connected socket; call connect first, or use sendTo");
        }
        return sendTo(src, p);
    }

    /** Sends {@code src} as one datagram to {@code target}: the count of bytes sent. */
    public Future<Integer> sendTo(ByteBuffer src, SocketAddress target) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(target, "target");
        return new IoFuture<>(reg, Registration.WRITE) {
            @Override
            protected Poll<Integer> attempt(Context cx) {
                int n = pollSendTo(cx, src, target);
                return n == AsyncRead.PENDING ? Poll.pending() : Poll.ready(n);
            }
        };
    }

    /** Sends one datagram if the socket has room: the count sent, or {@link AsyncRead#PENDING}. */
    public int pollSendTo(Context cx, ByteBuffer src, SocketAddress target) {
        if (!Coop.proceed(cx)) {
            return AsyncRead.PENDING;
        }
        int len = src.remaining();
        for (;;) {
            int s = reg.pollReady(cx, Registration.WRITE);
            if (s == Registration.NOT_READY) {
                return AsyncRead.PENDING;
            }
            int n;
            try {
                n = ch.send(src, target);
            } catch (IOException e) {
                throw new UncheckedIOException("send from " + local + " to " + target + " failed: " + e, e);
            }
            if (n != 0 || len == 0) {
                return n;
            }
            reg.clearReady(s, Registration.WRITE);
        }
    }

    /** Receives one datagram from the connected peer into {@code dst}: the count of bytes received. */
    public Future<Integer> recv(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (peer == null) {
            throw new IllegalStateException("recv needs a connected socket; call connect first, or use recvFrom");
        }
        return new IoFuture<>(reg, Registration.READ) {
            @Override
            protected Poll<Integer> attempt(Context cx) {
                int before = dst.position();
                return pollRecvFrom(cx, dst) == null ? Poll.pending() : Poll.ready(dst.position() - before);
            }
        };
    }

    /** Receives one datagram into {@code dst} (its position advances): the sender's address. */
    public Future<SocketAddress> recvFrom(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        return new IoFuture<>(reg, Registration.READ) {
            @Override
            protected Poll<SocketAddress> attempt(Context cx) {
                SocketAddress from = pollRecvFrom(cx, dst);
                return from == null ? Poll.pending() : Poll.ready(from);
            }
        };
    }

    /** Receives one datagram if one is queued: its sender; otherwise null, with the waker registered. */
    public SocketAddress pollRecvFrom(Context cx, ByteBuffer dst) {
        if (!Coop.proceed(cx)) {
            return null;
        }
        for (;;) {
            int s = reg.pollReady(cx, Registration.READ);
            if (s == Registration.NOT_READY) {
                return null;
            }
            SocketAddress from;
            try {
                from = ch.receive(dst);
            } catch (IOException e) {
                throw new UncheckedIOException("receive on " + local + " failed: " + e, e);
            }
            if (from != null) {
                return from;
            }
            reg.clearReady(s, Registration.READ);
        }
    }

    /** The address this socket is bound to. */
    public SocketAddress localAddress() {
        return local;
    }

    /** The connected peer, or null if not connected. */
    public SocketAddress peerAddress() {
        return peer;
    }

    /** Sets a socket option ({@code SO_BROADCAST}, {@code SO_RCVBUF}, ...). */
    public <T> UdpSocket setOption(SocketOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        try {
            ExecContext.ioInOwnFrame(() -> ch.setOption(option, value));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("option " + option + " is not supported by a UDP socket", e);
        } catch (IOException e) {
            throw new UncheckedIOException("setting " + option + " on " + local + " failed: " + e, e);
        }
        return this;
    }

    /** The value of a socket option. */
    public <T> T getOption(SocketOption<T> option) {
        Objects.requireNonNull(option, "option");
        try {
            return ExecContext.ioInOwnFrame(() -> ch.getOption(option));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("option " + option + " is not supported by a UDP socket", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + option + " of " + local + " failed: " + e, e);
        }
    }

    /** Closes the socket; tasks waiting on it fail. Idempotent. */
    @Override
    public void close() {
        try {
            reg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the UDP socket " + local + " failed: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "UdpSocket[" + local + (peer == null ? "" : " -> " + peer) + "]";
    }
}
