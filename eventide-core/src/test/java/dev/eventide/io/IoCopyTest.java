package dev.eventide.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.net.TcpListener;
import dev.eventide.net.TcpStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoCopyTest {

    @Test
    void copyMovesEverythingAndFlushes() {
        BufWriterTest.SlowSink sink = new BufWriterTest.SlowSink();
        long n = Eventide.run(() -> Io.copy(new ScriptedRead("abc", "", "defgh", "i"), new BufWriter(sink, 4)).await());
        assertThat(n).isEqualTo(9);
        assertThat(sink.got.toString()).isEqualTo("abcdefghi");
    }

    /** A proxy between a client and an echo server, both directions through copyBidirectional. */
    @Test
    void copyBidirectionalProxiesAndPropagatesHalfClose() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (TcpListener echo = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                        TcpListener proxy = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    JoinHandle<Long> echoTask = Eventide.spawn(() -> {
                        try (TcpStream s = echo.accept().await()) {
                            return Io.copy(s, s).await();
                        }
                    });
                    JoinHandle<Io.Transferred> proxyTask = Eventide.spawn(() -> {
                        try (TcpStream in = proxy.accept().await();
                                TcpStream out = TcpStream.connect(echo.localAddress()).await()) {
                            return Io.copyBidirectional(in, out).await();
                        }
                    });
                    int size = 1 << 20;
                    try (TcpStream c = TcpStream.connect(proxy.localAddress()).await()) {
                        var halves = c.split();
                        JoinHandle<Void> writer = Eventide.spawn(() -> {
                            ByteBuffer data = ByteBuffer.allocate(size);
                            for (int i = 0; i < size; i++) {
                                data.put((byte) (i ^ (i >>> 8)));
                            }
                            halves.writer().writeAll(data.flip()).await();
                            halves.writer().close(); // end of stream travels through the proxy
                        });
                        ByteBuffer back = ByteBuffer.allocate(size);
                        halves.reader().readExact(back).await();
                        assertThat(halves.reader().read(ByteBuffer.allocate(1)).await()).isEqualTo(-1);
                        writer.await();
                        for (int i = 0; i < size; i++) {
                            assertThat(back.get(i)).isEqualTo((byte) (i ^ (i >>> 8)));
                        }
                        halves.reader().close();
                    }
                    assertThat(echoTask.await()).isEqualTo(size);
                    assertThat(proxyTask.await()).isEqualTo(new Io.Transferred(size, size));
                }
            });
        }
    }
}
