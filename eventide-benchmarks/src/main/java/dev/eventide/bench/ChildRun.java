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
 * Runs a workload in a fresh JVM, in one of two ways; the parent side spawns the child (the same
 * {@code java} binary and class path as the harness) and parses what it prints, {@link #main} is
 * the child side.
 * <ul>
 *   <li>One run of a {@link SingleRunWorkload} (W8, W9, W12), with {@code --add-exports} and
 *       {@link SingleRunWorkload#CHILD_JVM_OPTIONS}: the child prints a flat JSON object of
 *       numbers as its last line ({@link #run}).</li>
 *   <li>All the iterations, warm-up and timed, of one system on an iterative workload (W1-W7,
 *       full mode), with the harness's own JVM options ({@link #runIterations}): every system
 *       starts from a fresh JVM, as JMH forks one per benchmark. In one shared JVM each system
 *       ran on code the JIT had compiled with the profiles of the systems before it (the
 *       runtime's and the JDK's call sites that both used) and on a heap they had filled: W4 on Eventide's poll
 *       futures measured 14-18 ns per yield alone in its JVM (4 runs) and 27-39 right after the
 *       async blocks in the same JVM (5 of 6 runs).</li>
 * </ul>
 * Anything a child writes to standard error goes to the harness's.
 */
final class ChildRun {
    private static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9_]+)\": (-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");

    private Process process;

    /**
     * The child: runs single-run workload {@code args[0]} once on system {@code args[1]} with
     * {@code args[2]} workers, in {@code args[3]} mode ({@code full} or {@code quick}), and prints
     * its figures; or, if {@code args[0]} is {@value #ITERATE}, a workload's iterations (see
     * {@link #iterate}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(ITERATE)) {
            iterate(args);
            return;
        }
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ChildRun WORKLOAD SYSTEM WORKERS full|quick");
        }
        SingleRunWorkload w = find(args[0]);
        Size size = size(args[3]);
        Map<String, Double> figures = w.runOnce(Sys.of(args[1]), Integer.parseInt(args[2]), size);
        System.out.println(format(figures));
        System.out.flush();
        // the runtime's threads are shut down, but a peer may leave non-daemon threads behind
        System.exit(0);
    }

    /** The first argument of a child that runs a workload's iterations ({@link #runIterations}). */
    static final String ITERATE = "iterate";
    /** How a child that ran iterations starts the lines that carry its result. */
    static final String RESULT_LINE = "iterations-result ";

    /**
     * The child of {@link #runIterations}: {@code iterate WORKLOAD SYSTEM WORKERS full|quick
     * WARMUP MIN_WARMUP_NANOS ITERS LIMIT_NANOS}. Runs them with a {@link Runner} and prints the
     * result: {@code ok WARMUP} and one {@code value} line, one line per extra figure, or
     * {@code failed}/{@code skipped} and the reason.
     */
    private static void iterate(String[] args) throws InterruptedException {
        if (args.length != 9) {
            throw new IllegalArgumentException("usage: ChildRun iterate WORKLOAD SYSTEM WORKERS full|quick"
                    + " WARMUP MIN_WARMUP_NANOS ITERS LIMIT_NANOS");
        }
        Workload w = workload(args[1]);
        Result r = new Runner(Long.parseLong(args[8])).run(w, Sys.of(args[2]), Integer.parseInt(args[3]),
                size(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]), Integer.parseInt(args[7]));
        StringBuilder out = new StringBuilder();
        if (r.skipped()) {
            out.append(RESULT_LINE).append("skipped ").append(oneLine(r.skipReason())).append('\n');
        } else if (r.failed()) {
            out.append(RESULT_LINE).append("failed ").append(oneLine(r.error())).append('\n');
        } else {
            out.append(RESULT_LINE).append("ok ").append(r.warmup()).append('\n');
            out.append(RESULT_LINE).append("value ").append(numbers(r.values())).append('\n');
            r.extras().forEach((k, v) -> out.append(RESULT_LINE).append("extra ").append(k).append(' ')
                    .append(numbers(v)).append('\n'));
        }
        System.out.print(out);
        System.out.flush();
        // a starved peer (W3a on a ForkJoinPool) leaves busy threads behind: end the JVM anyway
        System.exit(0);
    }

    /**
     * Runs {@code w} on {@code sys} in a fresh JVM with the harness's own JVM options (heap,
     * collector, pre-touch, exports): its warm-up and timed iterations, exactly as
     * {@link Runner#run} would here. A child that dies or prints no result fails the pair.
     */
    Result runIterations(Workload w, Sys sys, int workers, Size size, int warmup, long minWarmupNanos, int iters,
            long limitNanos) throws IOException, InterruptedException {
        List<String> cmd = iterationsCommand(w, sys, workers, size, warmup, minWarmupNanos, iters, limitNanos);
        String out;
        try {
            out = runChild(cmd, w.id() + " on " + sys.key);
        } catch (IllegalStateException died) {
            return Result.failed(w, sys, size, died.getMessage());
        }
        return parseResult(w, sys, size, out);
    }

    /** The command line of a child that runs a workload's iterations. */
    static List<String> iterationsCommand(Workload w, Sys sys, int workers, Size size, int warmup,
            long minWarmupNanos, int iters, long limitNanos) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildRun.class.getName());
        cmd.addAll(List.of(ITERATE, w.id(), sys.key, Integer.toString(workers), size.quick() ? "quick" : "full",
                Integer.toString(warmup), Long.toString(minWarmupNanos), Integer.toString(iters),
                Long.toString(limitNanos)));
        return cmd;
    }

    /** Parses what {@link #iterate} printed (other lines of the child's output are ignored). */
    static Result parseResult(Workload w, Sys sys, Size size, String out) {
        int warmup = -1;
        double[] values = null;
        Map<String, double[]> extras = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith(RESULT_LINE)) {
                continue;
            }
            String[] kv = line.substring(RESULT_LINE.length()).split(" ", 2);
            String rest = kv.length > 1 ? kv[1] : "";
            switch (kv[0]) {
                case "skipped" -> {
                    return Result.skipped(w, sys, size, rest);
                }
                case "failed" -> {
                    return Result.failed(w, sys, size, rest);
                }
                case "ok" -> warmup = Integer.parseInt(rest.strip());
                case "value" -> values = parseNumbers(rest);
                case "extra" -> {
                    String[] named = rest.split(" ", 2);
                    extras.put(named[0], parseNumbers(named.length > 1 ? named[1] : ""));
                }
                default -> throw new IllegalStateException("unknown line from a child run: " + line);
            }
        }
        if (warmup < 0 || values == null) {
            return Result.failed(w, sys, size, "the child run printed no result; its output: " + out.strip());
        }
        return Result.ok(w, sys, size, warmup, values, extras);
    }

    /** Numbers, comma-separated, as {@link Double#toString} writes them (exact, NaN included). */
    private static String numbers(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(v);
        }
        return sb.toString();
    }

    private static double[] parseNumbers(String text) {
        String t = text.strip();
        return t.isEmpty() ? new double[0]
                : java.util.Arrays.stream(t.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }

    private static Size size(String mode) {
        return switch (mode) {
            case "full" -> Size.FULL;
            case "quick" -> Size.QUICK;
            default -> throw new IllegalArgumentException("mode must be full or quick, got '" + mode + "'");
        };
    }

    private static Workload workload(String id) {
        return Workloads.all().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload '" + id + "'"));
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
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
        cmd.add(javaCommand());
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
        String[] lines = runChild(command(workload, sys, workers, size), workload + " on " + sys.key).strip().split("\n");
        return parse(lines[lines.length - 1]);
    }

    /**
     * Runs {@code cmd} to its end and returns its standard output.
     *
     * @throws IllegalStateException if it exits with a status other than 0
     */
    private String runChild(List<String> cmd, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
                throw new IllegalStateException("the child run of " + what + " exited with " + exit
                        + "; its output: " + out.strip());
            }
            return out;
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
