package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Waker;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * Many connections on two workers, readers that abandon reads at random (registering a waker,
 * then cancelling, as a select loser does) between real reads, writers with random chunk sizes:
 * every byte arrives, in order, and nothing hangs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReactorStressTest {
    static final int CONNS = 64;
    static final int BYTES = 256 * 1024;

    static byte at(int conn, int i) {
        return (byte) (conn * 131 + i * 7 + (i >>> 9));
    }

    @RepeatedTest(3)
    void randomCancellationLosesNothing() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            long total = rt.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    List<JoinHandle<Long>> readers = new ArrayList<>();
                    List<JoinHandle<Void>> writers = new ArrayList<>();
                    for (int c = 0; c < CONNS; c++) {
                        int conn = c;
                        JoinHandle<TcpStream> accepted = Eventide.spawn(() -> l.accept().await());
                        TcpStream out = TcpStream.connect(l.localAddress()).await();
                        TcpStream in = accepted.await();
                        writers.add(Eventide.spawn(() -> {
                            SplittableRandom rnd = new SplittableRandom(conn);
                            try (out) {
                                int i = 0;
                                while (i < BYTES) {
                                    int n = Math.min(BYTES - i, 1 + rnd.nextInt(8192));
                                    ByteBuffer b = ByteBuffer.allocate(n);
                                    for (int k = 0; k < n; k++) {
                                        b.put(at(conn, i + k));
                                    }
                                    out.writeAll(b.flip()).await();
                                    i += n;
                                    if (rnd.nextInt(4) == 0) {
                                        Eventide.yieldNow().await();
                                    }
                                }
                            }
                        }));
                        readers.add(Eventide.spawn(() -> {
                            SplittableRandom rnd = new SplittableRandom(~conn);
                            long got = 0;
                            try (in) {
                                ByteBuffer buf = ByteBuffer.allocate(4096);
                                for (;;) {
                                    if (rnd.nextInt(3) == 0) {
                                        Future<Integer> abandoned = in.read(buf.clear());
                                        if (abandoned.poll(Context.of(Waker.noop())).isReady()) {
                                            got = check(conn, buf, got);
                                            if (buf.position() == 0 && got >= BYTES) {
                                                return got;
                                            }
                                            continue;
                                        }
                                        abandoned.cancel();
                                    }
                                    int n = in.read(buf.clear()).await();
                                    if (n < 0) {
                                        return got;
                                    }
                                    got = check(conn, buf, got);
                                }
                            }
                        }));
                    }
                    long sum = 0;
                    for (JoinHandle<Void> w : writers) {
                        w.await();
                    }
                    for (JoinHandle<Long> r : readers) {
                        sum += r.await();
                    }
                    return sum;
                }
            });
            assertThat(total).isEqualTo((long) CONNS * BYTES);
        }
    }

    static long check(int conn, ByteBuffer buf, long got) {
        for (int k = 0; k < buf.position(); k++) {
            if (buf.get(k) != at(conn, (int) got + k)) {
                throw new AssertionError("connection " + conn + ": byte " + (got + k) + " is wrong");
            }
        }
        return got + buf.position();
    }
}
