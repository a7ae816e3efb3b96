package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.TaskFailedException;
import dev.eventide.Waker;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TcpStream and TcpListener: the operations, and every fault the issue lists. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpStreamTest {
    static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);
    Eventide rt;

    @BeforeEach
    void start() {
        rt = Eventide.builder().workerThreads(2).build();
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    /** A connected pair: [0] the client side, [1] the accepted side. */
    static TcpStream[] pair(TcpListener listener) {
        JoinHandle<TcpStream> accepted = Eventide.spawn(() -> listener.accept().await());
        TcpStream client = TcpStream.connect(listener.localAddress()).await();
        return new TcpStream[] {client, accepted.await()};
    }

    @Test
    void addressesAndOptions() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                assertThat(l.localAddress().getPort()).isPositive();
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]; TcpStream s = p[1]) {
                    assertThat(c.peerAddress()).isEqualTo(l.localAddress());
                    assertThat(s.peerAddress()).isEqualTo(c.localAddress());
                    c.setNoDelay(true);
                    assertThat(c.noDelay()).isTrue();
                    c.setNoDelay(false);
                    assertThat(c.noDelay()).isFalse();
                    c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    assertThat(c.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
                    assertThatThrownBy(() -> c.setOption(StandardSocketOptions.SO_LINGER, 0))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SO_LINGER");
                }
            }
        });
    }

    @Test
    void offRuntimeCreationIsRefused() {
        assertThatThrownBy(() -> TcpListener.bind(ANY)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runtime");
        assertThatThrownBy(() -> TcpStream.connect(ANY)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runtime");
    }

    @Test
    void connectToClosedPortFailsWithTheAddress() {
        rt.blockOn(() -> {
            InetSocketAddress closed;
            try (TcpListener l = TcpListener.bind(ANY)) {
                closed = l.localAddress();
            }
            assertThatThrownBy(() -> TcpStream.connect(closed).await())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(ConnectException.class)
                    .hasMessageContaining(String.valueOf(closed.getPort()));
        });
    }

    @Test
    void bindingAUsedPortFails() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                assertThatThrownBy(() -> TcpListener.bind(l.localAddress()))
                        .isInstanceOf(UncheckedIOException.class)
                        .hasCauseInstanceOf(BindException.class)
                        .hasMessageContaining(String.valueOf(l.localAddress().getPort()));
                assertThatThrownBy(() -> TcpListener.bind(ANY, 0)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("backlog");
            }
        });
    }

    @Test
    void halfCloseDeliversEndOfStreamAndKeepsTheOtherDirection() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]; TcpStream s = p[1]) {
                    c.writeAll(ByteBuffer.wrap("request".getBytes())).await();
                    c.shutdownOutput();
                    ByteBuffer in = ByteBuffer.allocate(64);
                    while (s.read(in).await() >= 0) {
                        assertThat(in.position()).isLessThanOrEqualTo(7);
                    }
                    assertThat(new String(in.array(), 0, in.position())).isEqualTo("request");
                    // The server can still answer on its open direction.
                    s.writeAll(ByteBuffer.wrap("reply".getBytes())).await();
                    s.shutdownOutput();
                    ByteBuffer back = ByteBuffer.allocate(5);
                    c.readExact(back).await();
                    assertThat(new String(back.array())).isEqualTo("reply");
                    assertThat(c.read(ByteBuffer.allocate(1)).await()).isEqualTo(-1);
                    // Writing after our own shutdown fails, for this task only.
                    assertThatThrownBy(() -> c.writeAll(ByteBuffer.wrap(new byte[1])).await())
                            .isInstanceOf(UncheckedIOException.class).hasMessageContaining("write to");
                }
            }
        });
    }

    @Test
    void readExactAtPrematureEndFailsWithEofCause() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]; TcpStream s = p[1]) {
                    c.writeAll(ByteBuffer.wrap(new byte[3])).await();
                    c.shutdownOutput();
                    ByteBuffer dst = ByteBuffer.allocate(10);
                    assertThatThrownBy(() -> s.readExact(dst).await()).isInstanceOf(UncheckedIOException.class)
                            .hasCauseInstanceOf(EOFException.class);
                    assertThat(dst.position()).isEqualTo(3);
                }
            }
        });
    }

    @Test
    void readIntoAFullBufferReturnsZeroAndLosesNothing() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]; TcpStream s = p[1]) {
                    c.writeAll(ByteBuffer.wrap(new byte[] {1, 2, 3})).await();
                    assertThat(s.read(ByteBuffer.allocate(0)).await()).isZero();
                    ByteBuffer dst = ByteBuffer.allocate(3);
                    s.readExact(dst).await();
                    assertThat(dst.array()).containsExactly(1, 2, 3);
                }
            }
        });
    }

    @Test
    void peerResetFailsTheReaderWithSocketException() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]) {
                    TcpStream s = p[1];
                    c.writeAll(ByteBuffer.wrap(new byte[100])).await();
                    // Wait until the bytes arrived, then close without reading them: the kernel
                    // answers with a reset instead of a FIN.
                    ByteBuffer one = ByteBuffer.allocate(1);
                    s.readExact(one).await();
                    s.close();
                    // The JDK sends a FIN before the reset when it closes a registered socket
                    // (the descriptor itself is closed once the selector drops the key), so the
                    // reader may first see end of stream; the writes then meet the reset. They
                    // must be able to outlast the socket buffers, which loopback autotuning can
                    // grow to several MiB before a write has to wait (and the driver runs): 64 MiB.
                    assertThatThrownBy(() -> {
                        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                        assertThat(c.read(buf).await()).isEqualTo(-1);
                        for (int i = 0; i < 1024; i++) {
                            c.writeAll(buf.clear()).await();
                        }
                    }).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(IOException.class)
                            .hasMessageContaining(String.valueOf(l.localAddress().getPort()))
                            .satisfies(e -> assertThat(e.getCause().getMessage()).containsAnyOf("reset", "Broken pipe"));
                }
            }
        });
    }

    @Test
    void usingAClosedStreamFails() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                p[1].close();
                TcpStream c = p[0];
                c.close();
                c.close(); // idempotent
                assertThat(c.isOpen()).isFalse();
                assertThatThrownBy(() -> c.writeAll(ByteBuffer.wrap(new byte[1])).await())
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ClosedChannelException.class);
                assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1)).await())
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ClosedChannelException.class);
            }
        });
    }

    @Test
    void closingAStreamWakesItsPendingReaderWithAnError() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]) {
                    TcpStream s = p[1];
                    StreamHalves h = s.split();
                    AtomicBoolean reading = new AtomicBoolean();
                    JoinHandle<Integer> reader = Eventide.spawn(() -> {
                        reading.set(true);
                        return h.reader().read(ByteBuffer.allocate(8)).await();
                    });
                    while (!reading.get()) {
                        Eventide.yieldNow().await();
                    }
                    Eventide.yieldNow().await();
                    h.reader().close();
                    h.writer().close();
                    assertThat(s.isOpen()).isFalse();
                    // Either the read saw the input shut down (end of stream) or the channel closed.
                    try {
                        assertThat(reader.await()).isEqualTo(-1);
                    } catch (TaskFailedException e) {
                        assertThat(e.getCause()).isInstanceOf(UncheckedIOException.class);
                    }
                }
            }
        });
    }

    @Test
    void writerToANonReadingPeerIsHeldBackNotBuffered() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]; TcpStream s = p[1]) {
                    c.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                    s.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
                    AtomicLong written = new AtomicLong();
                    JoinHandle<Void> writer = Eventide.spawn(() -> {
                        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                        for (;;) {
                            c.writeAll(chunk.clear()).await();
                            written.addAndGet(chunk.capacity());
                        }
                    });
                    // Poll a write by hand until it is pending: the kernel buffers are full.
                    long before;
                    do {
                        before = written.get();
                        for (int i = 0; i < 50; i++) {
                            Eventide.yieldNow().await();
                        }
                    } while (written.get() != before);
                    assertThat(writer.isFinished()).isFalse();
                    // Bounded by the socket buffers (a few MiB at most), not by what was offered.
                    assertThat(written.get()).isLessThan(32L * 1024 * 1024);
                    // Draining the reader lets the writer continue.
                    long target = written.get() + 1024 * 1024;
                    ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
                    long read = 0;
                    while (written.get() < target) {
                        read += s.read(sink.clear()).await();
                    }
                    assertThat(read).isPositive();
                    writer.abort();
                    assertThatThrownBy(writer::await).isInstanceOf(CancelledException.class);
                }
            }
        });
    }

    @Test
    void splitHalvesReadAndWriteFromTwoTasksAtOnce() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                StreamHalves client = p[0].split();
                StreamHalves server = p[1].split();
                int total = 4 * 1024 * 1024;
                // Server echoes through its halves in two tasks (a reader feeding a writer would
                // deadlock on full buffers if the halves could not be used concurrently).
                JoinHandle<Long> echo = Eventide.spawn(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
                    long n = 0;
                    for (int r; (r = server.reader().read(buf.clear()).await()) >= 0; ) {
                        server.writer().writeAll(buf.flip()).await();
                        n += r;
                    }
                    server.writer().close();
                    server.reader().close();
                    return n;
                });
                JoinHandle<Void> send = Eventide.spawn(() -> {
                    ByteBuffer out = ByteBuffer.allocate(total);
                    for (int i = 0; i < total; i++) {
                        out.put((byte) (i * 7));
                    }
                    client.writer().writeAll(out.flip()).await();
                    client.writer().close(); // half-close: the server sees the end
                });
                ByteBuffer in = ByteBuffer.allocate(total);
                JoinHandle<Void> recv = Eventide.spawn(() -> {
                    client.reader().readExact(in).await();
                    assertThat(client.reader().read(ByteBuffer.allocate(1)).await()).isEqualTo(-1);
                    client.reader().close();
                });
                send.await();
                recv.await();
                assertThat(echo.await()).isEqualTo(total);
                for (int i = 0; i < total; i++) {
                    if (in.get(i) != (byte) (i * 7)) {
                        throw new AssertionError("byte " + i + " differs");
                    }
                }
                assertThatThrownBy(p[0]::split).isInstanceOf(IllegalStateException.class);
            }
        });
    }

    @Test
    void cancelledReadLosesNoData() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                TcpStream[] p = pair(l);
                try (TcpStream c = p[0]; TcpStream s = p[1]) {
                    for (int round = 0; round < 50; round++) {
                        // A read that is pending, then cancelled (as a select loser would be).
                        AtomicBoolean woken = new AtomicBoolean();
                        Waker w = () -> woken.set(true);
                        var read = s.read(ByteBuffer.allocate(16));
                        Poll<Integer> first = read.poll(Context.of(w));
                        assertThat(first.isReady()).isFalse();
                        read.cancel();
                        c.writeAll(ByteBuffer.wrap(new byte[] {(byte) round, 2, 3})).await();
                        ByteBuffer dst = ByteBuffer.allocate(3);
                        s.readExact(dst).await();
                        assertThat(dst.array()).containsExactly((byte) round, 2, 3);
                        assertThat(woken.get()).as("a cancelled read's waker is not woken").isFalse();
                    }
                }
            }
        });
    }

    @Test
    void cancelledAcceptLosesNoConnection() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                var accept = l.accept();
                assertThat(accept.poll(Context.of(Waker.noop())).isReady()).isFalse();
                accept.cancel();
                try (TcpStream c = TcpStream.connect(l.localAddress()).await();
                        TcpStream s = l.accept().await()) {
                    assertThat(s.peerAddress()).isEqualTo(c.localAddress());
                }
            }
        });
    }

    @Test
    void abortedAcceptTaskDoesNotAffectOthers() {
        rt.blockOn(() -> {
            try (TcpListener l = TcpListener.bind(ANY)) {
                AtomicBoolean started = new AtomicBoolean();
                JoinHandle<TcpStream> acceptor = Eventide.spawn(() -> {
                    started.set(true);
                    return l.accept().await();
                });
                while (!started.get()) {
                    Eventide.yieldNow().await();
                }
                acceptor.abort();
                assertThatThrownBy(acceptor::await).isInstanceOf(CancelledException.class);
                TcpStream[] p = pair(l);
                p[0].close();
                p[1].close();
            }
        });
    }
}
