package dev.eventide.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a {@link SingleRunWorkload} in a fresh JVM: the parent side spawns the child (the
 * same {@code java} binary and class path as the harness, the {@code --add-exports} flag, and
 * {@link SingleRunWorkload#CHILD_JVM_OPTIONS}) and parses the one line of figures it prints;
 * {@link #main} is the child side.
 *
 * <p>The child prints a flat JSON object of numbers on its standard output as its last line;
 * anything it writes to standard error goes to the harness's.
 */
final class ChildRun {
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9_]+)\": (-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");

    private Process process;

    /**
     * The child: runs workload {@code args[0]} once on system {@code args[1]} with {@code args[2]}
     * workers, in {@code args[3]} mode ({@code full} or {@code quick}), and prints its figures.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ChildRun WORKLOAD SYSTEM WORKERS full|quick");
        }
        SingleRunWorkload w = find(args[0]);
        Size size = switch (args[3]) {
            case "full" -> Size.FULL;
            case "quick" -> Size.QUICK;
            default -> throw new IllegalArgumentException("mode must be full or quick, got '" + args[3] + "'");
        };
        Map<String, Double> figures = w.runOnce(Sys.of(args[1]), Integer.parseInt(args[2]), size);
        System.out.println(format(figures));
        System.out.flush();
        // the runtime's threads are shut down, but a peer may leave non-daemon threads behind
        System.exit(0);
    }

    /** The single-run workload with this id. */
    static SingleRunWorkload find(String id) {
        return Workloads.all().stream()
                .filter(x -> x.id().equals(id) && x instanceof SingleRunWorkload)
                .map(x -> (SingleRunWorkload) x).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no single-run workload '" + id + "'"));
    }

    /** The command line of a child run. */
    static List<String> command(String workload, Sys sys, int workers, Size size) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.vm=ALL-UNNAMED");
        cmd.addAll(SingleRunWorkload.CHILD_JVM_OPTIONS);
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (parallelism != null) {
            cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + parallelism);
        }
        cmd.addAll(find(workload).extraJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildRun.class.getName());
        cmd.add(workload);
        cmd.add(sys.key);
        cmd.add(Integer.toString(workers));
        cmd.add(size.quick() ? "quick" : "full");
        return cmd;
    }

    /** Runs one child to its end and returns its figures. */
    Map<String, Double> run(String workload, Sys sys, int workers, Size size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(workload, sys, workers, size))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        synchronized (this) {
            process = p;
        }
        // a harness stopped by Ctrl-C must not leave a child loaded with a million tasks behind
        Thread killChild = new Thread(p::destroyForcibly, "bench-child-reaper");
        Runtime.getRuntime().addShutdownHook(killChild);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("the child run of " + workload + " on " + sys.key + " exited with "
                        + exit + "; its output: " + out.strip());
            }
            String[] lines = out.strip().split("\n");
            return parse(lines[lines.length - 1]);
        } finally {
            synchronized (this) {
                process = null;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killChild);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already shutting down: the hook runs and kills the child, as it should
                p.destroyForcibly();
            }
        }
    }

    /** Kills the child in progress, if any (the watchdog's way to stop a stuck run). */
    void destroy() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** The line a child prints: {@code {"key": value, ...}}. */
    static String format(Map<String, Double> figures) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(e.getKey()).append("\": ").append(String.format(Locale.ROOT, "%.3f", e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Parses what {@link #format} printed. */
    static Map<String, Double> parse(String line) {
        if (!line.startsWith("{") || !line.endsWith("}")) {
            throw new IllegalStateException("a child run printed no figures, but: " + line);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            figures.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return figures;
    }
}
