package dev.eventide.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A W10 or W11 server in its own JVM (WORKLOADS.md: "its own process"): the parent side starts
 * the child, waits for the line with its port, and kills it; {@link #main} is the child side.
 *
 * <p>The child is the harness's {@code java} with its class path, the {@code --add-exports}
 * flag, {@link #JVM_OPTIONS} and the virtual-thread scheduler's parallelism set to the worker
 * count. It prints {@code listening PORT} once the server is bound, then serves until its
 * standard input ends: so a child outlives neither {@link #close()} (which also kills it) nor a
 * harness that was killed outright (its end of the pipe closes), and a shutdown hook kills it if
 * the harness is stopped with Ctrl-C.
 */
final class ServerProcess implements AutoCloseable {
    /** The server JVM's heap and collector: fixed, the same for every system. */
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
    private static final String READY = "listening ";

    private final Process process;
    private final Thread reaper;
    private final int port;

    private ServerProcess(Process process, Thread reaper, int port) {
        this.process = process;
        this.reaper = reaper;
        this.port = port;
    }

    /**
     * The child: starts {@code args[1]}'s server for workload {@code args[0]} ({@code W10} or
     * {@code W11}) with {@code args[2]} workers on port {@code args[3]} (0: any), prints
     * {@code listening PORT}, and serves until standard input ends.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ServerProcess W10|W11|W11-codec SYSTEM WORKERS PORT");
        }
        NetServer.Protocol protocol = protocolOf(args[0]);
        int code = 0;
        try (NetServer server = NetServer.start(protocol, Sys.of(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]))) {
            System.out.println(READY + server.address().getPort());
            System.out.flush();
            // serve until the parent closes our standard input (or dies)
            while (System.in.read() >= 0) {
                continue;
            }
        } catch (SkippedException e) {
            System.out.println("skipped " + e.getMessage());
            code = 3;
        }
        System.out.flush();
        // a peer may leave non-daemon threads behind
        System.exit(code);
    }

    static NetServer.Protocol protocolOf(String workload) {
        return switch (workload) {
            case "W10" -> NetServer.Protocol.ECHO;
            case "W11" -> NetServer.Protocol.HTTP;
            case "W11-codec" -> NetServer.Protocol.HTTP_CODEC;
            default -> throw new IllegalArgumentException("workload must be W10, W11 or W11-codec, got '" + workload + "'");
        };
    }

    /** The command line of a server child. */
    static List<String> command(String workload, Sys sys, int workers) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.vm=ALL-UNNAMED");
        cmd.addAll(JVM_OPTIONS);
        // Netty's epoll transport loads a native library: allowed, without the JDK's warning
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + workers);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ServerProcess.class.getName());
        cmd.add(workload);
        cmd.add(sys.key);
        cmd.add(Integer.toString(workers));
        cmd.add("0");
        return cmd;
    }

    /**
     * Starts a server child and waits (at most {@code timeoutSeconds}) until it listens.
     *
     * @throws SkippedException if the child says the system cannot run here
     * @throws IllegalStateException if it exits, or does not listen in time (it is then killed)
     */
    static ServerProcess start(String workload, Sys sys, int workers, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(workload, sys, workers))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reaper = new Thread(p::destroyForcibly, "bench-server-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean ok = false;
        try {
            BlockingQueue<String> firstLine = new ArrayBlockingQueue<>(1);
            // reads the first line, then drains the rest so that the child never blocks on a full pipe
            Thread.ofPlatform().daemon().name("bench-server-out").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line = r.readLine();
                    firstLine.offer(line == null ? "" : line);
                    while (r.readLine() != null) {
                        continue;
                    }
                } catch (IOException e) {
                    firstLine.offer("");
                }
            });
            String line = firstLine.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (line != null && line.startsWith("skipped ")) {
                throw new SkippedException(line.substring("skipped ".length()));
            }
            if (line == null || !line.startsWith(READY)) {
                String why = line == null ? "did not listen within " + timeoutSeconds + " s"
                        : p.waitFor(5, TimeUnit.SECONDS) ? "exited with " + p.exitValue() + " before listening"
                        : "printed '" + line + "' instead of its port";
                throw new IllegalStateException(String.format(Locale.ROOT, "the %s server of %s %s", workload, sys.key, why));
            }
            int port = Integer.parseInt(line.substring(READY.length()).strip());
            ok = true;
            return new ServerProcess(p, reaper, port);
        } finally {
            if (!ok) {
                p.destroyForcibly();
                removeHook(reaper);
            }
        }
    }

    /** The port the server listens on, on 127.0.0.1. */
    int port() {
        return port;
    }

    /** Whether the server's process is still running (a crash makes the run invalid). */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the server (closing its input first, so that a healthy one exits by itself). */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            System.getLogger("dev.eventide.bench").log(System.Logger.Level.DEBUG, "closing a server's input: " + e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            removeHook(reaper);
        }
    }

    private static void removeHook(Thread reaper) {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already shutting down: the hook runs and kills the child, as it should
            reaper.run();
        }
    }
}
