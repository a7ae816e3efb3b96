package dev.eventide.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W10's client: {@code echoload}, the neutral C load generator of {@code bench/WORKLOADS.md}
 * (one thread, epoll, loopback only). Its source ships in the harness
 * (the repository's {@code bench/echoload.c}, which the build puts on the class path as {@code c/echoload.c}); it
 * is compiled with {@code cc -O2 -o echoload echoload.c} into the module's {@code target/} on
 * first use, and again whenever the source changes. No {@code cc}: W10 is skipped.
 *
 * <p>Run as {@code echoload --port P --conns 100 --secs 10 --size 64} (its 1 s warm-up by
 * default; quick mode: 1 s and 0.5 s). Its JSON line gives {@code rps} and the round trip's
 * p50/p90/p99/p99.9/max in µs; any {@code errors} or {@code connect_failures} make the run invalid.
 */
final class Echoload extends LoadClient {
    private static final Pattern FIELD = Pattern.compile("\"([a-z0-9_]+)\":(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");
    /** The figures reported, in order; {@code rps} is W10's value. */
    static final List<String> FIGURES = List.of("rps", "p50_us", "p90_us", "p99_us", "p999_us", "max_us");

    private Path binary;

    @Override
    synchronized void prepare() throws IOException, InterruptedException {
        if (binary != null) {
            return;
        }
        Path cc = onPath("cc");
        if (cc == null) {
            throw new SkippedException("no C compiler: `cc` is not on the PATH, so echoload cannot be built");
        }
        byte[] source;
        try (InputStream in = Echoload.class.getResourceAsStream("/c/echoload.c")) {
            if (in == null) {
                throw new IllegalStateException("c/echoload.c is not on the class path (the harness's build copies it there)");
            }
            source = in.readAllBytes();
        }
        Path dir = targetDir();
        Files.createDirectories(dir);
        Path src = dir.resolve("echoload.c");
        Path exe = dir.resolve("echoload");
        boolean changed = !Files.isRegularFile(src) || !java.util.Arrays.equals(Files.readAllBytes(src), source);
        if (changed) {
            Files.write(src, source);
        }
        if (changed || !Files.isExecutable(exe)) {
            Process p = new ProcessBuilder(cc.toString(), "-O2", "-o", exe.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("cc -O2 -o echoload echoload.c failed: " + out.strip());
            }
        }
        binary = exe;
    }

    /**
     * The module's {@code target/}: the parent of the harness's classes folder or jar; the
     * temporary folder if the harness runs from anywhere else.
     */
    static Path targetDir() {
        try {
            Path here = Path.of(Echoload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = here.getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("target")) {
                return parent;
            }
        } catch (URISyntaxException | RuntimeException e) {
            System.getLogger("dev.eventide.bench").log(System.Logger.Level.DEBUG, "no code source: " + e);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "eventide-bench");
    }

    @Override
    List<String> command(int port, int seconds, Size size) {
        if (binary == null) {
            throw new IllegalStateException("echoload is not built: call prepare() first");
        }
        return List.of(binary.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--conns", "100", "--secs", Integer.toString(seconds), "--size", "64",
                "--warmup", size.quick() ? "0.5" : "1");
    }

    /** The client's command as the report shows it. */
    static String describe(Size size) {
        return "echoload --conns 100 --size 64 --secs " + NetWorkload.runSeconds(size)
                + " --warmup " + (size.quick() ? "0.5" : "1");
    }

    @Override
    Map<String, Double> parse(String output) {
        String json = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                json = line.strip();
            }
        }
        if (json == null) {
            throw new InvalidRunException("echoload printed no JSON line: " + output.strip());
        }
        Map<String, Double> all = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            all.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        double errors = all.getOrDefault("errors", Double.NaN);
        double connectFailures = all.getOrDefault("connect_failures", Double.NaN);
        if (errors != 0 || connectFailures != 0) {
            throw new InvalidRunException("echoload reported " + fmt(errors) + " errors and " + fmt(connectFailures)
                    + " connect failures: " + output.strip());
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String key : FIGURES) {
            Double v = all.get(key);
            if (v == null) {
                throw new InvalidRunException("echoload's line has no '" + key + "': " + json);
            }
            figures.put(key, v);
        }
        if (figures.get("rps") <= 0) {
            throw new InvalidRunException("echoload completed no request: " + json);
        }
        return figures;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "(missing)" : Long.toString((long) v);
    }
}
