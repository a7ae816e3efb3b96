package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.TaskFailedException;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.io.Reactor;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Descriptors are not leaked, and shutting the reactor down closes what tasks still hold. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeCloseTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void noDescriptorLeaksAcrossEverySocketKindAndAbandonedTasks(@TempDir Path dir) {
        int before = FdCount.openAfterWarmUp();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(ANY)) {
                    JoinHandle<Void> server = Eventide.spawn(() -> {
                        for (int i = 0; i < 50; i++) {
                            TcpStream c = l.accept().await();
                            Eventide.spawn(() -> TcpEchoTest.echo(c, new java.util.concurrent.atomic.AtomicLong()));
                        }
                    });
                    List<JoinHandle<Long>> clients = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        int id = i;
                        clients.add(Eventide.spawn(() -> TcpEchoTest.client(l.localAddress(), id)));
                    }
                    for (JoinHandle<Long> c : clients) {
                        c.await();
                    }
                    server.await();
                }
                try (UdpSocket a = UdpSocket.bind(ANY); UdpSocket b = UdpSocket.bind(ANY)) {
                    a.sendTo(ByteBuffer.allocate(8), b.localAddress()).await();
                    b.recvFrom(ByteBuffer.allocate(8)).await();
                }
                try (UnixListener ul = UnixListener.bind(dir.resolve("s.sock"));
                        UnixStream c = UnixStream.connect(ul.path()).await();
                        UnixStream s = ul.accept().await()) {
                    c.writeAll(ByteBuffer.allocate(4)).await();
                    s.readExact(ByteBuffer.allocate(4)).await();
                }
                // Tasks left waiting on sockets when the runtime closes: shutdown aborts them and
                // their try-with-resources close the sockets. (Sockets held by tasks that never
                // started are closed by Reactor.closeAll, which the next test covers.)
                AtomicBoolean acceptorWaits = new AtomicBoolean();
                AtomicBoolean readerWaits = new AtomicBoolean();
                TcpListener idle = TcpListener.bind(ANY);
                Eventide.spawn(() -> {
                    try (idle) {
                        acceptorWaits.set(true);
                        idle.accept().await();
                    }
                });
                TcpListener l2 = TcpListener.bind(ANY);
                TcpStream client = TcpStream.connect(l2.localAddress()).await();
                TcpStream accepted = l2.accept().await();
                l2.close();
                Eventide.spawn(() -> {
                    try (client; accepted) {
                        readerWaits.set(true);
                        client.read(ByteBuffer.allocate(8)).await();
                    }
                });
                while (!acceptorWaits.get() || !readerWaits.get()) {
                    Eventide.yieldNow().await();
                }
                // Sockets nobody closes, and a task holding sockets that never gets to run:
                // the runtime's shutdown closes them (Reactor.closeAll, a runtime resource).
                TcpListener leaked = TcpListener.bind(ANY);
                TcpStream leakedClient = TcpStream.connect(leaked.localAddress()).await();
                TcpStream leakedServer = leaked.accept().await();
                UdpSocket leakedUdp = UdpSocket.bind(ANY);
                assertThat(leakedClient.isOpen() && leakedServer.isOpen() && leakedUdp.toString() != null).isTrue();
            });
        }
        assertThat(FdCount.open()).as("open descriptors: %s", FdCount.describe()).isEqualTo(before);
    }

    @Test
    void closeAllClosesEverySocketAndFailsItsWaiters() {
        int before = FdCount.openAfterWarmUp();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                TcpListener l = TcpListener.bind(ANY);
                TcpStream c = TcpStream.connect(l.localAddress()).await();
                TcpStream s = l.accept().await();
                UdpSocket u = UdpSocket.bind(ANY);
                AtomicBoolean waiting = new AtomicBoolean();
                JoinHandle<Integer> reader = Eventide.spawn(() -> {
                    waiting.set(true);
                    return s.read(ByteBuffer.allocate(8)).await();
                });
                JoinHandle<TcpStream> acceptor = Eventide.spawn(() -> l.accept().await());
                while (!waiting.get()) {
                    Eventide.yieldNow().await();
                }
                // What the runtime's shutdown does before closing its selector.
                Reactor.closeAll(ExecContext.current().scheduler.driver.selector());
                assertThat(c.isOpen()).isFalse();
                assertThat(s.isOpen()).isFalse();
                // The reader sees its socket closed, or the peer's end of stream if that came first.
                try {
                    assertThat(reader.await()).isEqualTo(-1);
                } catch (TaskFailedException e) {
                    assertThat(e.getCause()).isInstanceOf(UncheckedIOException.class);
                }
                assertThatThrownBy(acceptor::await).isInstanceOf(TaskFailedException.class)
                        .hasCauseInstanceOf(UncheckedIOException.class);
                assertThatThrownBy(() -> u.recvFrom(ByteBuffer.allocate(8)).await())
                        .isInstanceOf(UncheckedIOException.class);
            });
        }
        assertThat(FdCount.open()).as("open descriptors: %s", FdCount.describe()).isEqualTo(before);
    }
}
