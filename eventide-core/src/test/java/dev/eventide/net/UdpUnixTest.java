package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.Waker;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** UDP and Unix-domain sockets: round trips, errors, cancellation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpUnixTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    static String text(ByteBuffer b) {
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void udpRoundTrip() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (UdpSocket server = UdpSocket.bind(ANY); UdpSocket client = UdpSocket.bind(ANY)) {
                    JoinHandle<Integer> echo = Eventide.spawn(() -> {
                        ByteBuffer buf = ByteBuffer.allocate(1500);
                        for (int i = 0; i < 100; i++) {
                            SocketAddress from = server.recvFrom(buf.clear()).await();
                            server.sendTo(buf.flip(), from).await();
                        }
                        return 100;
                    });
                    client.connect((InetSocketAddress) server.localAddress());
                    assertThat(client.peerAddress()).isEqualTo(server.localAddress());
                    ByteBuffer in = ByteBuffer.allocate(1500);
                    for (int i = 0; i < 100; i++) {
                        client.send(ByteBuffer.wrap(("ping " + i).getBytes(StandardCharsets.UTF_8))).await();
                        int n = client.recv(in.clear()).await();
                        assertThat(n).isEqualTo(in.position());
                        assertThat(text(in)).isEqualTo("ping " + i);
                    }
                    assertThat(echo.await()).isEqualTo(100);
                }
            });
        }
    }

    @Test
    void udpCancelledReceiveLosesNoDatagram() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (UdpSocket a = UdpSocket.bind(ANY); UdpSocket b = UdpSocket.bind(ANY)) {
                    var recv = b.recvFrom(ByteBuffer.allocate(64));
                    assertThat(recv.poll(Context.of(Waker.noop())).isReady()).isFalse();
                    recv.cancel();
                    a.sendTo(ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)), b.localAddress()).await();
                    ByteBuffer in = ByteBuffer.allocate(64);
                    assertThat(b.recvFrom(in).await()).isEqualTo(a.localAddress());
                    assertThat(text(in)).isEqualTo("kept");
                }
            });
        }
    }

    @Test
    void udpErrors() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (UdpSocket a = UdpSocket.bind(ANY)) {
                    assertThatThrownBy(() -> UdpSocket.bind((InetSocketAddress) a.localAddress()))
                            .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(BindException.class);
                    assertThatThrownBy(() -> a.send(ByteBuffer.allocate(1)))
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("connect");
                    assertThatThrownBy(() -> a.sendTo(null, a.localAddress()))
                            .isInstanceOf(NullPointerException.class).hasMessageContaining("src");
                }
            });
        }
    }

    @Test
    void unixRoundTripAndHalfClose(@TempDir Path dir) {
        Path path = dir.resolve("echo.sock");
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (UnixListener l = UnixListener.bind(path)) {
                    assertThat(Files.exists(path)).isTrue();
                    assertThat(l.path()).isEqualTo(path);
                    JoinHandle<Long> server = Eventide.spawn(() -> {
                        try (UnixStream s = l.accept().await()) {
                            ByteBuffer buf = ByteBuffer.allocate(4096);
                            long n = 0;
                            for (int r; (r = s.read(buf.clear()).await()) >= 0; ) {
                                s.writeAll(buf.flip()).await();
                                n += r;
                            }
                            s.shutdownOutput();
                            return n;
                        }
                    });
                    try (UnixStream c = UnixStream.connect(path).await()) {
                        byte[] msg = new byte[100_000];
                        for (int i = 0; i < msg.length; i++) {
                            msg[i] = (byte) (i * 13);
                        }
                        JoinHandle<Void> writer = Eventide.spawn(() -> {
                            c.writeAll(ByteBuffer.wrap(msg)).await();
                            c.shutdownOutput();
                        });
                        ByteBuffer back = ByteBuffer.allocate(msg.length);
                        c.readExact(back).await();
                        assertThat(back.array()).isEqualTo(msg);
                        assertThat(c.read(ByteBuffer.allocate(1)).await()).isEqualTo(-1);
                        writer.await();
                    }
                    assertThat(server.await()).isEqualTo(100_000L);
                    assertThatThrownBy(() -> UnixListener.bind(path)).isInstanceOf(UncheckedIOException.class)
                            .hasMessageContaining(path.toString());
                }
                assertThatThrownBy(() -> UnixStream.connect(dir.resolve("nobody.sock")).await())
                        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nobody.sock");
            });
        }
    }
}
