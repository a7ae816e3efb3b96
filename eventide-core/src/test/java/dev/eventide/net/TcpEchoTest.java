package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Echo over loopback: many concurrent connections, every byte checked. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a few seconds normally; generous for a loaded machine
class TcpEchoTest {
    static final int CONNS = 1000;
    static final int MESSAGES = 100;
    static final int SIZE = 64;

    @Test
    void thousandConnectionsHundredMessagesEach() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            long verified = rt.blockOn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    AtomicLong echoed = new AtomicLong();
                    JoinHandle<Void> server = Eventide.spawn(() -> {
                        for (int i = 0; i < CONNS; i++) {
                            TcpStream conn = listener.accept().await();
                            Eventide.spawn(() -> echo(conn, echoed));
                        }
                    });
                    List<JoinHandle<Long>> clients = new ArrayList<>();
                    for (int c = 0; c < CONNS; c++) {
                        int id = c;
                        clients.add(Eventide.spawn(() -> client(listener.localAddress(), id)));
                    }
                    long total = 0;
                    for (JoinHandle<Long> h : clients) {
                        total += h.await();
                    }
                    server.await();
                    return total;
                }
            });
            assertThat(verified).isEqualTo((long) CONNS * MESSAGES * SIZE);
        }
    }

    /** The current-thread runtime: the thread in blockOn both runs the tasks and selects. */
    @Test
    void echoOnTheCurrentThreadRuntime() {
        try (Eventide rt = Eventide.currentThread()) {
            long verified = rt.blockOn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    AtomicLong echoed = new AtomicLong();
                    Eventide.spawn(() -> {
                        for (int i = 0; i < 100; i++) {
                            TcpStream conn = listener.accept().await();
                            Eventide.spawn(() -> echo(conn, echoed));
                        }
                    });
                    List<JoinHandle<Long>> clients = new ArrayList<>();
                    for (int c = 0; c < 100; c++) {
                        int id = c;
                        clients.add(Eventide.spawn(() -> client(listener.localAddress(), id)));
                    }
                    long total = 0;
                    for (JoinHandle<Long> h : clients) {
                        total += h.await();
                    }
                    return total;
                }
            });
            assertThat(verified).isEqualTo(100L * MESSAGES * SIZE);
        }
    }

    static void echo(TcpStream conn, AtomicLong echoed) {
        try (conn) {
            conn.setNoDelay(true);
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            for (;;) {
                buf.clear();
                int n = conn.read(buf).await();
                if (n < 0) {
                    return;
                }
                buf.flip();
                conn.writeAll(buf).await();
                echoed.addAndGet(n);
            }
        }
    }

    static long client(InetSocketAddress addr, int id) {
        long checked = 0;
        try (TcpStream s = TcpStream.connect(addr).await()) {
            s.setNoDelay(true);
            ByteBuffer out = ByteBuffer.allocate(SIZE);
            ByteBuffer in = ByteBuffer.allocate(SIZE);
            for (int m = 0; m < MESSAGES; m++) {
                out.clear();
                for (int i = 0; i < SIZE; i++) {
                    out.put((byte) (id * 31 + m * 7 + i));
                }
                out.flip();
                s.writeAll(out).await();
                in.clear();
                s.readExact(in).await();
                for (int i = 0; i < SIZE; i++) {
                    if (in.get(i) != (byte) (id * 31 + m * 7 + i)) {
                        throw new AssertionError("connection " + id + " message " + m + " byte " + i + " differs");
                    }
                }
                checked += SIZE;
            }
            s.shutdownOutput();
            assertThat(s.read(in.clear()).await()).isEqualTo(-1);
        }
        return checked;
    }
}
