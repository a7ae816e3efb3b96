package dev.eventide.examples;

import dev.eventide.Eventide;
import dev.eventide.net.TcpListener;
import dev.eventide.net.TcpStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * TCP echo server (workload W10 of {@code bench/WORKLOADS.md}): listens on 127.0.0.1, one task
 * per connection, {@code TCP_NODELAY}, a 16 KiB buffer; each task writes back whatever it reads
 * until end of stream or an error, then closes the connection.
 *
 * <pre>{@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp ... dev.eventide.examples.EchoServer --port 7000}</pre>
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "TCP echo server on 127.0.0.1: one task per connection (workload W10).")
public final class EchoServer implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("dev.eventide.examples.echo");

    @Option(names = "--port", description = "port to listen on (0: any free port; default ${DEFAULT-VALUE})")
    int port = 7000;

    @Option(names = "--workers", description = "worker threads (default: the number of CPUs)")
    int workers = Runtime.getRuntime().availableProcessors();

    /** Runs the server until the process is stopped. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new EchoServer()).execute(args));
    }

    @Override
    public Integer call() {
        try (Eventide rt = Eventide.builder().workerThreads(workers).build()) {
            rt.blockOn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", port))) {
                    System.out.println("echo-server listening on " + listener.localAddress());
                    System.out.flush();
                    for (;;) {
                        TcpStream conn = listener.accept().await();
                        Eventide.spawn(() -> serve(conn));
                    }
                }
            });
        }
        return 0;
    }

    /** Echoes one connection until end of stream or an error. */
    static void serve(TcpStream conn) {
        try (conn) {
            conn.setNoDelay(true);
            ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
            for (;;) {
                buf.clear();
                if (conn.read(buf).await() < 0) {
                    return;
                }
                buf.flip();
                conn.writeAll(buf).await();
            }
        } catch (UncheckedIOException e) {
            // A peer that resets is routine for a server: note it and drop the connection.
            LOG.log(System.Logger.Level.DEBUG, "connection " + conn.peerAddress() + " ended: " + e.getMessage());
        }
    }
}
