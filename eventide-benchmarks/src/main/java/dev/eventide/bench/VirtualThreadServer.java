package dev.eventide.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * W10 and W11 on virtual threads, in the style the JDK recommends for them: blocking
 * {@link ServerSocket}/{@link Socket} code, an accepting virtual thread, and one virtual thread
 * per connection from {@code Executors.newVirtualThreadPerTaskExecutor()}. Their scheduler's
 * parallelism is the harness's worker count in the server's JVM
 * ({@code -Djdk.virtualThreadScheduler.parallelism}, set by {@link ServerProcess}).
 */
final class VirtualThreadServer implements NetServer {
    private static final System.Logger LOG = System.getLogger("dev.eventide.bench.net");

    private final ServerSocket server;
    private final ExecutorService threads;
    private final Thread acceptor;

    private VirtualThreadServer(ServerSocket server, ExecutorService threads, Thread acceptor) {
        this.server = server;
        this.threads = threads;
        this.acceptor = acceptor;
    }

    static VirtualThreadServer start(Protocol protocol, InetSocketAddress at) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(at, 1024);
        ExecutorService threads = Peers.virtualThreads();
        Thread acceptor = Thread.ofVirtual().name("vthreads-acceptor").start(() -> {
            try {
                for (;;) {
                    Socket s = server.accept();
                    threads.execute(() -> serve(protocol, s));
                }
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (!server.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed; the server stops accepting", e);
                }
            }
        });
        return new VirtualThreadServer(server, threads, acceptor);
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(TimeUnit.SECONDS.toMillis(5));
        // interrupting a virtual thread blocked on a socket closes that socket
        Peers.close(threads);
    }

    private static void serve(Protocol protocol, Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            if (protocol == Protocol.ECHO) {
                echo(s.getInputStream(), s.getOutputStream());
            } else {
                http(s.getInputStream(), s.getOutputStream());
            }
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection ended: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection failed: " + e);
        }
    }

    private static void echo(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[HttpHeads.READ_BUFFER];
        for (;;) {
            int n = in.read(buf);
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
        }
    }

    private static void http(InputStream is, OutputStream os) throws IOException {
        // heap buffers, so that the same framing code (HttpHeads) reads the stream's byte array
        ByteBuffer in = ByteBuffer.allocate(HttpHeads.MAX_HEAD + HttpHeads.READ_BUFFER);
        ByteBuffer out = HttpHeads.responseBuffer(false);
        HttpHeads heads = new HttpHeads();
        for (;;) {
            int n = is.read(in.array(), in.position(), in.remaining());
            if (n < 0) {
                return;
            }
            in.position(in.position() + n).flip();
            int owed = heads.consume(in);
            in.compact();
            if (owed == HttpHeads.TOO_LONG) {
                return;
            }
            while (owed > 0) {
                out.clear();
                owed -= HttpHeads.putResponses(out, owed);
                os.write(out.array(), 0, out.position());
            }
        }
    }
}
