package dev.eventide.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A load generator of W10 or W11: a native program run in its own process against a server on
 * 127.0.0.1, whose output is parsed into figures. A tool that is missing makes the workload
 * <em>skipped</em> ({@link SkippedException}), never failed; a run whose client reports errors
 * is invalid ({@link InvalidRunException}) and fails the workload on that system.
 */
abstract class LoadClient {
    /**
     * Checks that the client can run here, preparing it if needed (compiling echoload).
     *
     * @throws SkippedException if a tool it needs is missing, saying which
     */
    abstract void prepare() throws IOException, InterruptedException;

    /** The command line measuring the server on {@code port} for {@code seconds}. */
    abstract List<String> command(int port, int seconds, Size size);

    /**
     * Parses the client's output into figures: the first is the workload's value (requests per
     * second), the others its latency figures in µs.
     *
     * @throws InvalidRunException if the output reports errors, or has no figures
     */
    abstract Map<String, Double> parse(String output);

    /** Runs the client against {@code port} for {@code seconds} and returns its figures. */
    Map<String, Double> run(int port, int seconds, Size size) throws IOException, InterruptedException {
        List<String> cmd = command(port, seconds, size);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[][] out = new byte[1][];
            Thread reader = Thread.ofPlatform().daemon().name("bench-client-out").start(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = ("(reading the client's output failed: " + e + ")").getBytes(StandardCharsets.UTF_8);
                }
            });
            // the client stops by itself after its warm-up and run; 30 s is for connecting and a loaded machine
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new InvalidRunException(String.join(" ", cmd) + " did not finish within " + (seconds + 30) + " s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
            Map<String, Double> figures = parse(text);
            if (p.exitValue() != 0) {
                throw new InvalidRunException(cmd.get(0) + " exited with " + p.exitValue() + ": " + text.strip());
            }
            return figures;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The executable {@code name} on the {@code PATH}, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** A run whose client reported errors, or printed no figures: its figures are not to be used. */
    static final class InvalidRunException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InvalidRunException(String message) {
            super("invalid run: " + message);
        }
    }
}
