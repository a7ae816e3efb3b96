package dev.eventide.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.net.TcpListener;
import dev.eventide.net.TcpStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** http-hello on loopback: pipelining, bad and oversized requests, idle and slow clients. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpHelloTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    private Eventide rt;
    private int port;

    @BeforeEach
    void start() throws Exception {
        rt = Eventide.builder().workerThreads(2).build();
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        rt.handle().spawn(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                bound.complete(listener.localAddress().getPort());
                for (;;) {
                    TcpStream conn = listener.accept().await();
                    Eventide.spawn(() -> HttpHello.serve(conn, Duration.ofMillis(300), Duration.ofMillis(300)));
                }
            }
        });
        port = bound.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    /** Reads until the server closes the connection (or {@code max} bytes). */
    private static String readUntilClosed(InputStream in, int max) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while (got.size() < max && (n = in.read(buf)) >= 0) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    private static String readExactly(InputStream in, int len) throws IOException {
        return new String(in.readNBytes(len), StandardCharsets.US_ASCII);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneKeptAliveConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((GET + GET + GET).getBytes(StandardCharsets.US_ASCII));
            out.write("GET /split HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII)); // a head in two writes
            out.flush();
            out.write("st: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String expected = new String(HttpHello.RESPONSE, StandardCharsets.US_ASCII).repeat(4);
            assertThat(readExactly(s.getInputStream(), expected.length())).isEqualTo(expected);
            assertThat(HttpHello.RESPONSE).hasSize(78);
        }
    }

    @Test
    void malformedAndOversizedRequestsGet400AndAClosedConnection() throws Exception {
        for (String bad : new String[] {"NOT HTTP\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
                "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(HttpHello.MAX_HEAD + 10) + "\r\n\r\n"}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(bad.getBytes(StandardCharsets.US_ASCII));
                String reply = readUntilClosed(s.getInputStream(), 1 << 20);
                assertThat(reply).startsWith("HTTP/1.1 400 Bad Request");
            }
        }
    }

    @Test
    void idleAndSlowClientsAreCutOff() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", port)) {
            idle.setSoTimeout(10_000);
            idle.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
            String reply = readUntilClosed(idle.getInputStream(), 1 << 20); // ends when the server closes
            assertThat(reply).isEqualTo(new String(HttpHello.RESPONSE, StandardCharsets.US_ASCII));
        }
        try (Socket slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)); // and never the rest
            out.flush();
            assertThat(readUntilClosed(slow.getInputStream(), 1 << 20)).isEmpty();
        }
    }
}
