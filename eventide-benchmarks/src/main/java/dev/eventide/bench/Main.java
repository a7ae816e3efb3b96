package dev.eventide.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark harness: runs the workloads of {@code bench/WORKLOADS.md} on Eventide and its
 * peers (in full mode each system in a fresh JVM: see {@link ChildRun}), prints a JSON line per
 * workload and system, and writes a Markdown report and
 * a JSON-lines file. Run it through {@code ./eventide bench [--quick]}, which sets the JVM flags
 * (the {@code --add-exports} Eventide needs, a fixed heap and collector).
 *
 * <p>Without {@code --only}/{@code --systems}, a full run writes {@code docs/benchmarks.md} and
 * {@code docs/benchmarks.json} under {@code --root}; a quick or partial run writes
 * {@code bench-results/} instead, so that the published figures always come from a full run.
 */
public final class Main {
    private Main() {
    }

    /** Command-line options. */
    static final class Options {
        Size size = Size.FULL;
        List<String> only = List.of();
        List<Sys> systems = List.of(Sys.values());
        int workers = Runtime.getRuntime().availableProcessors();
        Integer warmup;
        Integer iters;
        Long limitSeconds;
        Path root = Path.of(".");
        Path markdown;
        Path json;
        boolean partial;
        /** Run every system of W1-W7 in this JVM instead of a fresh one each (full mode); quick mode always does. */
        boolean sharedJvm;

        /** Whether each system's iterations of W1-W7 run in a JVM of their own ({@link ChildRun#runIterations}). */
        boolean forkPerSystem() {
            return !size.quick() && !sharedJvm;
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.size = Size.QUICK;
                    case "--shared-jvm" -> o.sharedJvm = true;
                    case "--only" -> {
                        o.only = Arrays.asList(value(args, ++i, a).split(","));
                        o.partial = true;
                    }
                    case "--systems" -> {
                        o.systems = Arrays.stream(value(args, ++i, a).split(",")).map(Sys::of).toList();
                        o.partial = true;
                    }
                    case "--workers" -> o.workers = positive(value(args, ++i, a), a);
                    case "--warmup" -> o.warmup = positive(value(args, ++i, a), a);
                    case "--iters" -> o.iters = positive(value(args, ++i, a), a);
                    case "--limit-seconds" -> o.limitSeconds = (long) positive(value(args, ++i, a), a);
                    case "--root" -> o.root = Path.of(value(args, ++i, a));
                    case "--md" -> o.markdown = Path.of(value(args, ++i, a));
                    case "--json" -> o.json = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
                }
            }
            if (o.warmup != null || o.iters != null) {
                o.partial = true;
            }
            boolean publish = !o.size.quick() && !o.partial;
            Path dir = publish ? o.root.resolve("docs") : o.root.resolve("bench-results");
            String base = publish ? "benchmarks" : o.size.quick() ? "quick" : "partial";
            if (o.markdown == null) {
                o.markdown = dir.resolve(base + ".md");
            }
            if (o.json == null) {
                o.json = dir.resolve(base + ".json");
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String s, String option) {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a positive integer, got '" + s + "'", e);
            }
            if (v <= 0) {
                throw new IllegalArgumentException(option + " needs a positive integer, got " + v);
            }
            return v;
        }
    }

    private static final String USAGE = """
            usage: ./eventide bench [options]
              --quick               small sizes, few iterations (seconds); writes bench-results/quick.*
              --only W1,W3b,...     only these workloads (ids: W1 W2 W3a W3b W4 W5 W6 W7-1p1c W7-4p1c W8 W9 W10 W11
                                    W11-codec W12)
              --systems a,b         only these systems (eventide, eventide-poll, fjp, fjp-cf, vthreads, netty,
                                    netty-epoll)
              --workers N           worker threads of every system (default: CPUs)
              --warmup N, --iters N override the iteration counts
              --shared-jvm          run every system of W1-W7 in the harness's JVM (full mode forks a fresh JVM
                                    for each, with the harness's JVM options, a profiler agent's included;
                                    quick mode never forks)
              --limit-seconds N     the starvation rule's per-iteration limit (default 10; quick: 2;
                                    W8 and W9 runs, each a fresh JVM in full mode, get at least 300 s;
                                    W12's, a fresh JVM in both modes, 300 s, quick 60 s)
              --root DIR            the repository root (output goes to DIR/docs or DIR/bench-results)
              --md FILE, --json FILE  where to write the report and the JSON lines
            A full run with no --only/--systems/--warmup/--iters writes docs/benchmarks.md and .json.""";

    /**
     * Runs the harness; exits 0 if every Eventide workload produced figures, 1 if one failed, 2
     * on bad options. A peer's failure (FJP and virtual threads starving W3a/W3b) is a result,
     * reported in the tables, not an error of the run.
     */
    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<Result> results = run(o, System.out);
        System.exit(results.stream().anyMatch(r -> r.failed() && r.sys().isEventide()) ? 1 : 0);
    }

    /** Runs the selected workloads, prints JSON lines to {@code out} as they finish, writes the files. */
    static List<Result> run(Options o, PrintStream out) throws InterruptedException, IOException {
        List<Workload> workloads = Workloads.all().stream()
                .filter(w -> o.only.isEmpty() || o.only.contains(w.id())).toList();
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("no workload matches --only " + o.only);
        }
        Environment env = Environment.current(o.workers, o.size, o.forkPerSystem());
        // WORKLOADS.md's 10 s starvation limit; the quick mode's iterations are ~10x smaller, so 2 s
        long limit = o.limitSeconds != null ? o.limitSeconds : o.size.quick() ? 2 : 10;
        Runner runner = new Runner(TimeUnit.SECONDS.toNanos(limit));
        List<Result> results = new ArrayList<>();
        StringBuilder json = new StringBuilder(); // the lines as printed, each with the steal of its own run
        Map<String, OptionalDouble> stealByWorkload = new LinkedHashMap<>();
        CpuSteal.Reading runStart = CpuSteal.read();
        for (Workload w : workloads) {
            CpuSteal.Reading workloadStart = CpuSteal.read();
            if (w instanceof NetWorkload net) {
                // W10, W11: the systems take turns, run by run (see NetWorkload)
                for (Result r : net.runInterleaved(o.systems, o.workers, o.size,
                        o.warmup != null ? o.warmup : w.warmupIterations(o.size),
                        o.iters != null ? o.iters : w.timedIterations(o.size))) {
                    results.add(r);
                    json.append(print(out, Report.json(r, env, CpuSteal.percent(workloadStart, CpuSteal.read()))));
                }
                stealByWorkload.put(w.id(), CpuSteal.percent(workloadStart, CpuSteal.read()));
                continue;
            }
            for (Sys s : o.systems) {
                if (!w.systems().contains(s)) {
                    continue;
                }
                int warmup = o.warmup != null ? o.warmup : w.warmupIterations(o.size);
                long minWarmup = o.warmup != null ? 0 : Workload.minWarmupNanos(o.size); // --warmup N: exactly N
                int iters = o.iters != null ? o.iters : w.timedIterations(o.size);
                CpuSteal.Reading before = CpuSteal.read();
                Result r = o.forkPerSystem() && !(w instanceof SingleRunWorkload)
                        ? new ChildRun().runIterations(w, s, o.workers, o.size, warmup, minWarmup, iters,
                                TimeUnit.SECONDS.toNanos(limit))
                        : runner.run(w, s, o.workers, o.size, warmup, minWarmup, iters);
                results.add(r);
                json.append(print(out, Report.json(r, env, CpuSteal.percent(before, CpuSteal.read()))));
            }
            stealByWorkload.put(w.id(), CpuSteal.percent(workloadStart, CpuSteal.read()));
        }
        env = env.withCpuSteal(CpuSteal.percent(runStart, CpuSteal.read()), stealByWorkload);
        String md = Report.markdown(workloads, o.systems, results, env);
        write(o.markdown, md + keptSections(o.markdown));
        write(o.json, json.toString());
        out.println();
        out.println(md);
        out.println("wrote " + o.markdown + " and " + o.json);
        return results;
    }

    /** Prints {@code line} to {@code out} and returns it with its line end. */
    private static String print(PrintStream out, String line) {
        out.println(line);
        return line + '\n';
    }

    /**
     * The sections other generators keep in the same file (between {@code <!-- name:begin -->}
     * and {@code <!-- name:end -->}, e.g. {@code bench/portscan.sh}'s), carried over from the
     * file's previous version so that a run of the harness does not erase them.
     */
    private static String keptSections(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        var m = java.util.regex.Pattern.compile("(?s)<!-- ([\\w-]+):begin -->.*?<!-- \\1:end -->\n?")
                .matcher(Files.readString(file, StandardCharsets.UTF_8));
        StringBuilder kept = new StringBuilder();
        while (m.find()) {
            kept.append('\n').append(m.group());
        }
        return kept.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
