package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every system's W10 and W11 server, started in-process with 2 workers and driven by a small
 * blocking Java client on 127.0.0.1: what the servers must do byte for byte (WORKLOADS.md), so
 * that the benchmark compares servers that do the same work.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetServerTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @ParameterizedTest
    @EnumSource(value = Sys.class, names = {"EVENTIDE", "EVENTIDE_POLL", "FJP", "VTHREADS", "NETTY", "NETTY_EPOLL"})
    void echoServersReturnEveryByteOnEachOfSeveralConnections(Sys sys) throws Exception {
        try (NetServer server = start(NetServer.Protocol.ECHO, sys)) {
            if (server == null) {
                return;
            }
            Random random = new Random(42);
            Socket[] conns = new Socket[4];
            try {
                for (int i = 0; i < conns.length; i++) {
                    conns[i] = connect(server);
                }
                for (int round = 0; round < 3; round++) {
                    for (Socket c : conns) {
                        byte[] small = new byte[64];
                        random.nextBytes(small);
                        c.getOutputStream().write(small);
                        assertThat(readExactly(c.getInputStream(), 64)).isEqualTo(small);
                    }
                }
                // larger than the 16 KiB buffer: echoed in several reads and writes, in order
                byte[] big = new byte[200_000];
                random.nextBytes(big);
                Socket c = conns[0];
                Thread writer = Thread.ofVirtual().start(() -> write(c, big));
                assertThat(readExactly(c.getInputStream(), big.length)).isEqualTo(big);
                writer.join();
                c.shutdownOutput();
                assertThat(c.getInputStream().read()).as("closed after end of stream").isEqualTo(-1);
            } finally {
                for (Socket c : conns) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Sys.class, names = {"EVENTIDE", "EVENTIDE_POLL", "FJP", "VTHREADS", "NETTY", "NETTY_EPOLL"})
    void httpServersAnswerPipelinedAndSplitHeadsInOrderWithTheExactResponse(Sys sys) throws Exception {
        assertThat(HttpHeads.RESPONSE).hasSize(78);
        try (NetServer server = start(NetServer.Protocol.HTTP, sys)) {
            if (server == null) {
                return;
            }
            try (Socket c = connect(server)) {
                OutputStream out = c.getOutputStream();
                InputStream in = c.getInputStream();
                // one request, then three pipelined in one write (any request line), then one split
                // across writes right inside its blank line
                out.write(ascii(GET));
                assertThat(readExactly(in, 78)).isEqualTo(HttpHeads.RESPONSE);
                out.write(ascii(GET + "POST /x HTTP/1.1\r\n\r\n" + "anything at all\r\n\r\n"));
                assertThat(readExactly(in, 3 * 78)).isEqualTo(responses(3));
                out.write(ascii("GET /split HTTP/1.1\r\nA: b\r\n\r"));
                out.flush();
                out.write(ascii("\n" + GET));
                assertThat(readExactly(in, 2 * 78)).isEqualTo(responses(2));
                // 300 pipelined heads in one write: more responses than one response buffer holds
                out.write(ascii(GET.repeat(300)));
                assertThat(readExactly(in, 300 * 78)).isEqualTo(responses(300));
            }
            try (Socket c = connect(server)) {
                // a head that never ends and exceeds 16 KiB: the server closes the connection
                byte[] junk = new byte[HttpHeads.MAX_HEAD + 4096];
                Arrays.fill(junk, (byte) 'a');
                c.getOutputStream().write(ascii("GET / HTTP/1.1\r\nX: "));
                c.getOutputStream().write(junk);
                assertThat(drain(c.getInputStream())).as("no response to an over-long head").isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Sys.class, names = {"NETTY", "NETTY_EPOLL"})
    void nettysHttpCodecRowAnswersPipelinedRequestsWithTheSameBytesButLowerCaseHeaderNames(Sys sys) throws Exception {
        try (NetServer server = start(NetServer.Protocol.HTTP_CODEC, sys)) {
            if (server == null) {
                return;
            }
            try (Socket c = connect(server)) {
                c.getOutputStream().write(ascii(GET + GET + "GET /other HTTP/1.1\r\nHost: x\r\n\r\n"));
                String expected = new String(responses(3), StandardCharsets.US_ASCII);
                String got = new String(readExactly(c.getInputStream(), 3 * 78), StandardCharsets.US_ASCII);
                assertThat(got).isEqualToIgnoringCase(expected).contains("content-length: 13");
                // still open: keep-alive
                c.getOutputStream().write(ascii(GET));
                assertThat(readExactly(c.getInputStream(), 78)).asString(StandardCharsets.US_ASCII)
                        .isEqualToIgnoringCase(new String(HttpHeads.RESPONSE, StandardCharsets.US_ASCII));
            }
        }
        assertThatThrownBy(() -> NetServer.start(NetServer.Protocol.HTTP_CODEC, Sys.EVENTIDE, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Netty only");
    }

    /** The server, or null (the test then checks the skip) where Netty's epoll transport does not load. */
    private static NetServer start(NetServer.Protocol protocol, Sys sys) throws Exception {
        if (sys == Sys.NETTY_EPOLL && !Epoll.isAvailable()) {
            assertThatThrownBy(() -> NetServer.start(protocol, sys, 2, 0)).isInstanceOf(SkippedException.class)
                    .hasMessageContaining("epoll");
            return null;
        }
        NetServer server = NetServer.start(protocol, sys, 2, 0);
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.address().getPort()).isPositive();
        return server;
    }

    private static Socket connect(NetServer server) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 5_000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void write(Socket s, byte[] data) {
        try {
            s.getOutputStream().write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertThat(b).as("bytes before end of stream").hasSize(n);
        return b;
    }

    /** Everything until the server closes (bounded by the socket's read timeout). */
    private static byte[] drain(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (java.net.SocketException reset) {
            // closing with unread input makes the kernel send a reset: also a close
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
        return all.toByteArray();
    }

    private static byte[] responses(int n) {
        byte[] all = new byte[n * 78];
        for (int i = 0; i < n; i++) {
            System.arraycopy(HttpHeads.RESPONSE, 0, all, i * 78, 78);
        }
        return all;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
