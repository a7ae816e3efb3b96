package dev.eventide.examples;

import dev.eventide.Eventide;
import dev.eventide.net.TcpListener;
import dev.eventide.net.TcpStream;
import dev.eventide.time.Time;
import dev.eventide.time.TimeoutExpiredException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A minimal HTTP/1.1 server (workload W11 of {@code bench/WORKLOADS.md}): every request is
 * answered with the same 78-byte "Hello, World!" response; connections are kept alive until the
 * client closes them; pipelined requests are answered in order, all the responses produced from
 * one read going out in one write.
 *
 * <p>What it accepts: a request head is everything up to the first blank line; its request line
 * must be {@code METHOD SP target SP HTTP/1.x}, each header line must have a colon, and it must
 * announce no body ({@code Content-Length} other than 0, or {@code Transfer-Encoding}). Anything
 * else, and a head longer than 16 KiB, is answered with {@code 400 Bad Request} and the
 * connection is closed.
 *
 * <p>Slow and idle clients cannot pin a connection: a connection with no request in progress is
 * closed after {@code --idle-timeout} without a byte, and a request head must be complete within
 * {@code --head-timeout} of its first byte (a client trickling a head byte by byte is cut off too).
 */
@Command(name = "http-hello", mixinStandardHelpOptions = true,
        description = "Minimal HTTP/1.1 keep-alive server on 127.0.0.1 answering Hello, World! (workload W11).")
public final class HttpHello implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("dev.eventide.examples.http");

    /** The response to every request: exactly the 78 bytes of W11. */
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\n"
            + "Hello, World!").getBytes(StandardCharsets.US_ASCII);
    static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    /** The longest request head accepted. */
    static final int MAX_HEAD = 16 * 1024;

    @Option(names = "--port", description = "port to listen on (0: any free port; default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--workers", description = "worker threads (default: the number of CPUs)")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--idle-timeout", description = "close a keep-alive connection idle this long (default ${DEFAULT-VALUE})")
    Duration idleTimeout = Duration.ofSeconds(30);

    @Option(names = "--head-timeout", description = "a request head must arrive within this (default ${DEFAULT-VALUE})")
    Duration headTimeout = Duration.ofSeconds(10);

    /** Runs the server until the process is stopped. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new HttpHello()).execute(args));
    }

    @Override
    public Integer call() {
        try (Eventide rt = Eventide.builder().workerThreads(workers).build()) {
            rt.blockOn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", port))) {
                    System.out.println("http-hello listening on http://" + listener.localAddress().getHostString()
                            + ":" + listener.localAddress().getPort() + "/");
                    System.out.flush();
                    for (;;) {
                        TcpStream conn = listener.accept().await();
                        Eventide.spawn(() -> serve(conn, idleTimeout, headTimeout));
                    }
                }
            });
        }
        return 0;
    }

    /**
     * Serves one connection until the client closes it, sends a bad request, stays idle past
     * {@code idle}, or takes longer than {@code headLimit} to send one request head.
     */
    static void serve(TcpStream conn, Duration idle, Duration headLimit) {
        try (conn) {
            conn.setNoDelay(true);
            ByteBuffer in = ByteBuffer.allocateDirect(2 * MAX_HEAD); // write mode between reads
            ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
            int scanned = 0; // bytes of the pending head already searched for the blank line
            Instant headStarted = null; // when the first byte of a still-incomplete head arrived
            for (;;) {
                Instant deadline = headStarted == null ? Time.now().plus(idle) : headStarted.plus(headLimit);
                int n;
                try {
                    n = Time.timeoutAt(deadline, conn.read(in)).await();
                } catch (TimeoutExpiredException e) {
                    String why = headStarted == null ? "idle" : "request head too slow";
                    LOG.log(System.Logger.Level.DEBUG, () -> "closing " + conn.peerAddress() + ": " + why);
                    return;
                }
                if (n < 0) {
                    return;
                }
                in.flip();
                boolean answered = false;
                for (;;) {
                    int end = headEnd(in, scanned);
                    if (end < 0) {
                        // keep the partial head; remember how far we searched (minus a possible partial "\r\n\r")
                        scanned = Math.max(0, in.remaining() - 3);
                        break;
                    }
                    if (end - in.position() > MAX_HEAD || !valid(in, in.position(), end)) {
                        reject(conn, out);
                        return;
                    }
                    in.position(end);
                    scanned = 0;
                    answered = true;
                    if (out.remaining() < RESPONSE.length) {
                        conn.writeAll(out.flip()).await();
                        out.clear();
                    }
                    out.put(RESPONSE);
                }
                if (in.remaining() > MAX_HEAD) {
                    reject(conn, out);
                    return;
                }
                if (out.position() > 0) {
                    conn.writeAll(out.flip()).await();
                    out.clear();
                }
                if (!in.hasRemaining()) {
                    headStarted = null; // every head answered: idle again
                } else if (headStarted == null || answered) {
                    headStarted = Time.now(); // the bytes left over begin a new head
                }
                in.compact();
            }
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection " + conn.peerAddress() + " ended: " + e.getMessage());
        }
    }

    private static void reject(TcpStream conn, ByteBuffer out) {
        out.put(BAD_REQUEST);
        conn.writeAll(out.flip()).await();
    }

    /**
     * The index just past the blank line ending the head that starts at {@code in}'s position,
     * searching from {@code position + from}; -1 if not there yet.
     */
    static int headEnd(ByteBuffer in, int from) {
        int limit = in.limit();
        for (int i = in.position() + from; i + 3 < limit; i++) {
            if (in.get(i + 3) == '\n' && in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r') {
                return i + 4;
            }
        }
        return -1;
    }

    /** Checks the head in {@code [start, end)} (which ends with CR LF CR LF); see the class doc. */
    static boolean valid(ByteBuffer in, int start, int end) {
        int lineEnd = indexOfCrLf(in, start, end);
        // Request line: METHOD SP target SP HTTP/1.x
        int sp1 = indexOf(in, (byte) ' ', start, lineEnd);
        if (sp1 <= start) {
            return false;
        }
        for (int i = start; i < sp1; i++) {
            byte b = in.get(i);
            if (b < 'A' || b > 'Z') {
                return false;
            }
        }
        int sp2 = indexOf(in, (byte) ' ', sp1 + 1, lineEnd);
        if (sp2 <= sp1 + 1 || lineEnd - sp2 - 1 != 8 || !startsWith(in, sp2 + 1, "HTTP/1.")) {
            return false;
        }
        byte minor = in.get(lineEnd - 1);
        if (minor != '0' && minor != '1') {
            return false;
        }
        // Header lines: name ':' value; no body announced.
        for (int line = lineEnd + 2; line < end - 2; ) {
            int next = indexOfCrLf(in, line, end);
            int colon = indexOf(in, (byte) ':', line, next);
            if (colon <= line) {
                return false;
            }
            if (nameIs(in, line, colon, "transfer-encoding")) {
                return false;
            }
            if (nameIs(in, line, colon, "content-length") && !zero(in, colon + 1, next)) {
                return false;
            }
            line = next + 2;
        }
        return true;
    }

    private static int indexOfCrLf(ByteBuffer in, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                return i;
            }
        }
        return to;
    }

    private static int indexOf(ByteBuffer in, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer in, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (in.get(at + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean nameIs(ByteBuffer in, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (Character.toLowerCase((char) in.get(from + i)) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(ByteBuffer in, int from, int to) {
        boolean digit = false;
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (b == '0') {
                digit = true;
            } else if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return digit;
    }
}
