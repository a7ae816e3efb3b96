package dev.eventide.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Renders results: one JSON line per workload and system (WORKLOADS.md's "Output"), and a
 * Markdown report with a table whose rows are workloads, whose cells are median (min–max), and
 * whose last columns are Eventide's ratio to each peer and to tokio's reference figures.
 *
 * <p>A ratio is how many times better Eventide's median is: the peer's time divided by
 * Eventide's for times, Eventide's rate divided by the peer's for rates; above 1 means Eventide
 * did better. Eventide's figure for the ratios is the async-block variant's.
 */
final class Report {
    private Report() {
    }

    /** The JSON line of one result, with the CPU steal measured over its run ({@link CpuSteal}). */
    static String json(Result r, Environment env, OptionalDouble stealPercent) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("workload", r.workload().name());
        f.put("id", r.workload().id());
        f.put("system", r.sys().key);
        f.put("unit", r.workload().unit().symbol);
        if (r.skipped()) {
            f.put("value", "skipped");
            f.put("reason", r.skipReason());
        } else if (r.failed()) {
            f.put("value", "failed");
            f.put("error", r.error());
        } else {
            f.put("value", r.median());
            f.put("min", r.min());
            f.put("max", r.max());
            f.put("iters", r.values().length);
            f.put("warmup", r.warmup());
            if (r.workload().unit() == Unit.NS) {
                f.put("per_op", r.medianPerOp());
                f.put("per_op_unit", "ns/" + r.workload().opName());
            }
            for (String key : r.extras().keySet()) {
                if (r.workload() instanceof SingleRunWorkload sw && key.equals(sw.valueKey())
                        || r.workload() instanceof NetWorkload && key.equals("rps")) {
                    continue;
                }
                f.put(key, r.extraMedian(key));
                f.put(key + "_min", r.extraMin(key));
                f.put(key + "_max", r.extraMax(key));
            }
        }
        if (r.workload() instanceof SingleRunWorkload sw) {
            List<String> options = new ArrayList<>(SingleRunWorkload.CHILD_JVM_OPTIONS);
            options.addAll(sw.extraJvmOptions());
            f.put("process", r.size().quick() && !sw.freshJvmInQuickMode() ? "in-process (quick mode)"
                    : "fresh JVM per run: " + String.join(" ", options));
        }
        if (!(r.workload() instanceof SingleRunWorkload) && !(r.workload() instanceof NetWorkload)) {
            f.put("process", env.forkPerSystem() ? "fresh JVM per system: the harness's JVM options" : "the harness's JVM");
        }
        if (r.workload() instanceof NetWorkload net) {
            f.put("client", net.clientDescription(r.size()));
            f.put("server_process", "own JVM: " + String.join(" ", ServerProcess.JVM_OPTIONS));
        }
        f.put("ops_per_iter", r.workload().opsPerIteration(r.size()));
        f.put("workers", env.workers());
        f.put("mode", env.mode());
        if (stealPercent.isPresent()) {
            f.put("cpu_steal_pct", Math.round(stealPercent.getAsDouble() * 10) / 10.0);
        }
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : f.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            if (v instanceof Double d) {
                sb.append(String.format(Locale.ROOT, "%.3f", d));
            } else if (v instanceof Number n) {
                sb.append(n);
            } else {
                sb.append('"').append(escape(String.valueOf(v))).append('"');
            }
        }
        return sb.append('}').toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String stealText(OptionalDouble percent) {
        return percent.isPresent() ? String.format(Locale.ROOT, "%.1f%%", percent.getAsDouble()) : "unknown";
    }

    /** The Markdown report: header with the environment, the table, the per-operation figures, notes. */
    static String markdown(List<Workload> workloads, List<Sys> systems, List<Result> all, Environment env) {
        // skipped pairs (a tool or transport missing here) show as "skipped", with the reason below
        List<Result> skipped = all.stream().filter(Result::skipped).toList();
        List<Result> results = all.stream().filter(r -> !r.skipped()).toList();
        List<Sys> peers = systems.stream().filter(s -> !s.isEventide()).toList();
        StringBuilder md = new StringBuilder();
        md.append("# Eventide benchmarks\n\n");
        md.append("Generated by `./eventide bench").append(env.mode().equals("quick") ? " --quick" : "")
                .append("` (module `eventide-benchmarks`); do not edit by hand, run the command again.\n")
                .append("Workloads as defined in `bench/WORKLOADS.md`.\n\n");
        md.append("- Date: ").append(env.date()).append('\n');
        md.append("- JDK: ").append(env.jdk()).append('\n');
        md.append("- OS: ").append(env.os()).append('\n');
        md.append("- CPUs (nproc): ").append(env.cpus()).append("; worker threads of every system: ").append(env.workers())
                .append("; virtual-thread scheduler parallelism: ").append(env.vthreadParallelism()).append('\n');
        md.append("- Heap: ").append(env.heap()).append("; GC: ").append(env.gc()).append('\n');
        md.append("- JVM options: `").append(String.join(" ", env.jvmOptions())).append("`\n");
        md.append("- CPU steal (time the hypervisor gave this VM's CPUs to other guests; above a few percent, "
                + "figures drift from run to run): ").append(stealText(env.cpuSteal())).append(" of the run");
        if (!env.stealByWorkload().isEmpty()) {
            List<String> per = new ArrayList<>();
            for (Workload w : workloads) {
                OptionalDouble p = env.stealByWorkload().get(w.id());
                if (p != null) {
                    per.add(w.id() + " " + stealText(p));
                }
            }
            md.append("; by workload: ").append(String.join(", ", per));
        }
        md.append('\n');
        md.append("- Mode: ").append(env.mode()).append("; iterations (warm-up + timed) per workload")
                .append(env.mode().equals("quick") ? "" : ", the warm-up lasting at least "
                        + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(Workload.minWarmupNanos(Size.FULL))
                        + " s whatever its count (JIT compilation; each JSON line's `warmup` is the count run)")
                .append(": ");
        List<String> iters = new ArrayList<>();
        for (Workload w : workloads) {
            Size size = env.mode().equals("quick") ? Size.QUICK : Size.FULL;
            iters.add(w.id() + " " + w.warmupIterations(size) + "+" + w.timedIterations(size));
        }
        md.append(String.join(", ", iters)).append('\n');
        md.append(env.forkPerSystem()
                ? "- Processes: each system's iterations of W1–W7 run in a fresh JVM with the JVM options above (forked,"
                        + " as JMH forks per benchmark), so that no system runs on code the JIT compiled for another;"
                        + " W8–W12 as their sections say\n\n"
                : "- Processes: W1–W7 run every system in the harness's one JVM, one after the other"
                        + " (quick mode, or `--shared-jvm`); W8–W12 as their sections say\n\n");
        md.append("Each cell: median (min–max) of the timed iterations, in the row's unit. "
                + "**×peer** = how many times better Eventide (async blocks) did than that peer: "
                + "peer's time ÷ Eventide's, or Eventide's rate ÷ peer's; above 1 is better. "
                + "tokio's figures are from `bench/WORKLOADS.md`, **measured separately** "
                + "(2 CPUs, 2 workers), not in this run. `n/a`: not implemented on that system yet.\n\n");

        md.append("| workload | unit |");
        for (Sys s : systems) {
            md.append(' ').append(s.title).append(" |");
        }
        md.append(" tokio 1.53.1 / 1.24.2 (ref., measured separately) |");
        for (Sys p : peers) {
            md.append(" ×").append(p.key).append(" |");
        }
        md.append(" ×tokio 1.53.1 |\n|---|---|");
        md.append("---|".repeat(systems.size() + 1 + peers.size() + 1)).append('\n');

        for (Workload w : workloads) {
            Map<Sys, Result> row = new LinkedHashMap<>();
            for (Result r : results) {
                if (r.workload() == w) {
                    row.put(r.sys(), r);
                }
            }
            Scale scale = Scale.of(w, row.values());
            md.append("| ").append(w.id()).append(' ').append(w.name()).append(" | ").append(scale.label(w)).append(" |");
            for (Sys s : systems) {
                Result r = row.get(s);
                md.append(' ').append(r == null ? absent(skipped, w, s, "n/a") : r.failed() ? "failed" : scale.cell(r))
                        .append(" |");
            }
            TokioReference.Figures tokio = TokioReference.of(w.id());
            md.append(' ').append(tokio == null ? "–" : (Double.isNaN(tokio.v153()) ? "–" : scale.format(tokio.v153())) + " / "
                    + (Double.isNaN(tokio.v124()) ? "failed (starved)" : scale.format(tokio.v124()))).append(" |");
            Result base = row.get(Sys.EVENTIDE);
            for (Sys p : peers) {
                md.append(' ').append(ratio(w, base, row.get(p))).append(" |");
            }
            // a quick single run has a hundredth of the tasks, a quick network run lasts 1 s: no ratio to tokio
            boolean comparable = !((w instanceof SingleRunWorkload || w instanceof NetWorkload) && env.mode().equals("quick"));
            md.append(' ').append(tokio == null || !comparable ? "–" : ratio(w, base, tokio.v153())).append(" |\n");
        }

        md.append("\n## Per operation (medians)\n\n| workload | per |");
        for (Sys s : systems) {
            md.append(' ').append(s.key).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(systems.size())).append('\n');
        for (Workload w : workloads) {
            if (w.unit() != Unit.NS) {
                continue;
            }
            md.append("| ").append(w.id()).append(' ').append(w.name()).append(" | ns/").append(w.opName()).append(" |");
            for (Sys s : systems) {
                Result r = results.stream().filter(x -> x.workload() == w && x.sys() == s).findFirst().orElse(null);
                md.append(' ').append(r == null ? absent(skipped, w, s, "n/a") : r.failed() ? "failed" : fmt(r.medianPerOp()))
                        .append(" |");
            }
            md.append('\n');
        }

        memorySection(md, workloads, systems, peers, results, skipped, env.mode().equals("quick"));
        NetReport.section(md, workloads, systems, peers, results, skipped, env.mode().equals("quick"));
        blockedWorkerSection(md, workloads, results, env.mode().equals("quick"));

        List<Result> failures = results.stream().filter(Result::failed).toList();
        if (!failures.isEmpty()) {
            md.append("\n## Failures\n\n");
            for (Result r : failures) {
                md.append("- ").append(r.workload().id()).append(" on ").append(r.sys().key).append(": ")
                        .append(r.error()).append('\n');
            }
        }
        if (!skipped.isEmpty()) {
            md.append("\n## Skipped\n\n");
            for (Result r : skipped) {
                md.append("- ").append(r.workload().id()).append(" on ").append(r.sys().key).append(": ")
                        .append(r.skipReason()).append('\n');
            }
        }
        md.append(NOTES);
        return md.toString();
    }

    private static final String NOTES = """

            ## How each system runs the workloads

            - **Eventide (async blocks)**: tasks are lambdas spawned with `Handle.spawn` from the main
              thread and `Eventide.spawn` from inside; yield is `Eventide.yieldNow().await()`.
            - **Eventide (poll futures)**: the same tasks written as `Future` state machines; a yield
              polls an `Eventide.yieldNow()` future held in the state machine; W5's ping and pong
              poll the `Oneshot` receivers.
            - **ForkJoinPool**: `new ForkJoinPool(workers, defaultFactory, null, true)` (async mode: FIFO
              local queues); tasks are `execute`d; a task has no yield, so a yielding task re-submits
              itself to the back of the queue. `fjp-cf`: the same pool with `CompletableFuture.runAsync`
              (W2: join on the `CompletableFuture`s; W5: the oneshot is a `CompletableFuture`, awaiting
              it a `thenRunAsync` stage).
            - **Virtual threads**: `Executors.newVirtualThreadPerTaskExecutor()`, one virtual thread per
              task, `Thread.yield()` to yield, `Future.get()` to join; W5's oneshot is a
              `CompletableFuture` joined by the virtual thread; W7's channel an `ArrayBlockingQueue`.
              Their *stall* spins with `Thread.onSpinWait()`, because `Thread.yield()` in a virtual
              thread reschedules it instead of calling `sched_yield` (every other system's stall calls
              `Thread.yield()`, which is `sched_yield` on a platform thread).
            - **Netty**: `MultiThreadIoEventLoopGroup(workers, NioIoHandler.newFactory())` (`netty-epoll`:
              `EpollIoHandler.newFactory()`, Netty's native transport, where it loads); tasks are
              `Runnable`s given to `group.next()` from the main thread and to the current event loop
              from inside; a yield re-submits to the loop; W2 joins the `submit` futures; W5's oneshot
              is a `Promise`.
            - W7 `fjp`: a `SubmissionPublisher` (buffer 1,024) on the pool, producers are pool tasks,
              the consumer a subscriber; 1p1c only, as 4 submitters deadlock a 2-worker pool (a
              submitter blocked on the full buffer holds the publisher's lock; no compensating
              thread runs the consumer). Netty has no channel between tasks. Messages are boxed
              `Long`s everywhere.
            - **W8 timers, W9 idle tasks**: each run is a fresh JVM spawned by the harness (same `java`, class
              path and `--add-exports`; the heap settings above the W8/W9 table), 3 runs, no warm-up;
              the JVM's own figures (`VmHWM`, `VmRSS`, heap after `System.gc()`) belong to that run.
              W8's sleep: Eventide `Time.sleep(..).await()` (poll futures: polling the `Sleep`); `fjp-cf`
              a `runAsync` task handing its continuation to `CompletableFuture.delayedExecutor(d,
              MILLISECONDS, pool)`; virtual threads `Thread.sleep`; Netty `eventLoop.schedule`. W9's
              oneshot: Eventide `Oneshot`; `fjp-cf` a `CompletableFuture` with a `thenRunAsync(.., pool)`
              continuation registered by a `runAsync` task; virtual threads a `CompletableFuture` they
              `join`; Netty a `Promise` with a listener. Quick mode: 10,000 tasks (W8 delays in [0, 100)
              ms), in the harness's JVM.
            - **W12 blocked worker**: 2 workers whatever `--workers` says; each run is a fresh JVM (also in
              quick mode, with `-Djdk.virtualThreadScheduler.parallelism=2`) that plays every scenario of its
              system on a fresh runtime: Eventide's blocker `Thread.sleep(200)` or busy-spins 200 ms, with
              compensation on (20 ms) or off, with work stealing, and the sleep pair again thread-per-core;
              the blocked-worker detector is off. Virtual threads: the oneshot is a `CompletableFuture`,
              the responder a virtual thread; their `Thread.sleep(200)` unmounts and blocks no carrier, the
              busy-spin occupies one. The main table's value is the sleep blocker's p99 (Eventide: work
              stealing, compensation on); every scenario is in the W12 table.
            - Starvation rule: an iteration longer than 10 s (2 s in quick mode) stops the workload and
              reports it failed ("failed" in the table, the reason under Failures).
            """;

    /**
     * W8 and W9's every figure, a row each: median (min–max) over the runs per system, tokio's
     * figure where WORKLOADS.md has one, and Eventide's ratio to each (all lower-is-better).
     */
    private static void memorySection(StringBuilder md, List<Workload> workloads, List<Sys> systems, List<Sys> peers,
            List<Result> results, List<Result> skipped, boolean quick) {
        List<SingleRunWorkload> single = workloads.stream()
                .filter(w -> w instanceof SingleRunWorkload && !(w instanceof W12BlockedWorker))
                .map(w -> (SingleRunWorkload) w).toList();
        if (single.isEmpty()) {
            return;
        }
        md.append("\n## Memory and timers (W8, W9): every figure\n\n");
        if (quick) {
            md.append("Quick mode: one small run per system inside the harness's JVM, whose heap is pre-touched, so "
                    + "the memory figures mean nothing here and no ratio to tokio is given (other sizes). ");
        } else {
            md.append("Each run is a fresh JVM (`").append(String.join(" ", SingleRunWorkload.CHILD_JVM_OPTIONS))
                    .append("`, the harness's `java`, class path and `--add-exports`), 3 runs per system; each cell is "
                            + "the median (min–max) of the runs. ");
        }
        md.append("**×peer**: peer's figure ÷ Eventide's (all lower-is-better); above 1 is better.\n\n");
        md.append("| figure | unit |");
        for (Sys s : systems) {
            md.append(' ').append(s.title).append(" |");
        }
        md.append(" tokio 1.53.1 / 1.24.2 (ref.) |");
        for (Sys p : peers) {
            md.append(" ×").append(p.key).append(" |");
        }
        md.append(" ×tokio 1.53.1 |\n|---|---|");
        md.append("---|".repeat(systems.size() + 1 + peers.size() + 1)).append('\n');
        for (SingleRunWorkload w : single) {
            List<String> keys = new ArrayList<>();
            keys.add(w.valueKey());
            keys.addAll(w.extraKeys());
            for (String key : keys) {
                md.append("| ").append(w.id()).append(' ').append(key).append(" | ").append(figureUnit(key)).append(" |");
                Map<Sys, Result> row = new LinkedHashMap<>();
                for (Result r : results) {
                    if (r.workload() == w && !r.failed()) {
                        row.put(r.sys(), r);
                    }
                }
                for (Sys s : systems) {
                    Result r = row.get(s);
                    md.append(' ').append(r == null ? absent(skipped, w, s, w.systems().contains(s) ? "failed" : "n/a")
                            : fmt(r.extraMedian(key)) + " (" + fmt(r.extraMin(key)) + "–" + fmt(r.extraMax(key)) + ")")
                            .append(" |");
                }
                TokioReference.Figures tokio = key.equals(w.valueKey()) ? TokioReference.of(w.id())
                        : TokioReference.of(w.id(), key);
                md.append(' ').append(tokio == null ? "–" : fmt(tokio.v153()) + " / " + fmt(tokio.v124())).append(" |");
                Result base = row.get(Sys.EVENTIDE);
                double e = base == null ? Double.NaN : base.extraMedian(key);
                for (Sys p : peers) {
                    Result r = row.get(p);
                    md.append(' ').append(lowerRatio(e, r == null ? Double.NaN : r.extraMedian(key))).append(" |");
                }
                md.append(' ').append(quick ? "–" : lowerRatio(e, tokio == null ? Double.NaN : tokio.v153())).append(" |\n");
            }
        }
    }

    /**
     * W12's every scenario, a row each: pings completed, blocks, and latency p50 / p99 / max,
     * each the median (min–max) over the runs. Rows, not ratios: the comparison that matters is
     * between an Eventide scenario and its compensation-off twin, and with virtual threads' spin.
     */
    private static void blockedWorkerSection(StringBuilder md, List<Workload> workloads, List<Result> results,
            boolean quick) {
        if (workloads.stream().noneMatch(w -> w instanceof W12BlockedWorker)) {
            return;
        }
        md.append("\n## Blocked worker (W12): ping latency while one task blocks a worker\n\n");
        md.append(W12BlockedWorker.WORKERS).append(" workers (virtual threads: scheduler parallelism ")
                .append(W12BlockedWorker.WORKERS).append("); ")
                .append(quick ? "2,000" : String.format(Locale.ROOT, "%,d", W12BlockedWorker.TASKS))
                .append(" tasks each ping a freshly spawned responder through a oneshot every ")
                .append(W12BlockedWorker.INTERVAL_MS).append(" ms (random phase), while one task blocks its worker for ")
                .append(W12BlockedWorker.BLOCK_MS).append(" ms every second; latency from the ping's scheduled time to the "
                        + "reply, over the pings scheduled in the measured window (")
                .append(quick ? "0.8 s, one block" : "5 s, five blocks")
                .append(", after a warm-up): a task held up behind a blocked worker counts as late (Eventide's figures also "
                        + "include its timers' 1 ms resolution). Compensation on: `compensationThreshold(")
                .append(W12BlockedWorker.COMPENSATION_MS).append(" ms)`; off: `Duration.ZERO`. A virtual thread's "
                        + "`Thread.sleep` unmounts it and blocks no carrier; its busy-spin does occupy one. Each run is a "
                        + "fresh JVM playing every scenario of its system; cells: median (min–max) over the runs. "
                        + "GC pauses: the collector's stop-the-world pauses inside the measured window, each of which "
                        + "holds up every ping due during it; a window with one more pause has a visibly worse p99.\n\n");
        md.append("| system | blocker, scheduling | pings | blocks | compensations | GC pauses | GC pause ms | p50 ms "
                + "| p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            if (!(r.workload() instanceof W12BlockedWorker) || r.failed()) {
                continue;
            }
            for (W12BlockedWorker.Scenario sc : W12BlockedWorker.scenarios(r.sys())) {
                md.append("| ").append(r.sys().title).append(" | ").append(sc.title()).append(" |");
                for (String figure : W12BlockedWorker.FIGURES) {
                    String key = sc.key() + "_" + figure;
                    md.append(' ').append(fmt(r.extraMedian(key))).append(" (").append(fmt(r.extraMin(key)))
                            .append("–").append(fmt(r.extraMax(key))).append(") |");
                }
                md.append('\n');
            }
        }
    }

    /** The cell of a pair with no figures: "skipped" if it was, {@code otherwise} if not. */
    static String absent(List<Result> skipped, Workload w, Sys s, String otherwise) {
        return skipped.stream().anyMatch(r -> r.workload() == w && r.sys() == s) ? "skipped" : otherwise;
    }

    private static String figureUnit(String key) {
        if (key.endsWith("_ms")) {
            return "ms";
        }
        if (key.endsWith("_mib")) {
            return "MiB";
        }
        return key.endsWith("per_task") ? "bytes/task" : "";
    }

    /** peer ÷ Eventide for a lower-is-better figure; "–" where either is missing or Eventide's is not positive. */
    private static String lowerRatio(double eventide, double peer) {
        if (Double.isNaN(eventide) || Double.isNaN(peer) || eventide <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", peer / eventide);
    }

    private static String ratio(Workload w, Result base, Result peer) {
        if (base == null || peer == null || base.failed() || peer.failed()) {
            return "–";
        }
        return ratio(w, base, peer.median());
    }

    private static String ratio(Workload w, Result base, double peer) {
        if (base == null || base.failed() || Double.isNaN(peer)) {
            return "–";
        }
        if (w.unit().lowerIsBetter && base.median() <= 0) {
            return "–";
        }
        double r = w.unit().lowerIsBetter ? peer / base.median() : base.median() / peer;
        return String.format(Locale.ROOT, "%.2f", r);
    }

    static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The display unit of one row: ns figures are shown in µs or ms, whichever suits the row. */
    private record Scale(double divisor, String symbol) {
        static Scale of(Workload w, Iterable<Result> row) {
            if (w.unit() != Unit.NS) {
                return new Scale(1, w.unit().symbol);
            }
            double smallest = Double.MAX_VALUE;
            for (Result r : row) {
                if (!r.failed()) {
                    smallest = Math.min(smallest, r.median());
                }
            }
            return smallest < 1e6 ? new Scale(1e3, "µs") : new Scale(1e6, "ms");
        }

        String label(Workload w) {
            return w.unit() == Unit.NS ? symbol + "/iter" : symbol;
        }

        String format(double v) {
            return fmt(v / divisor);
        }

        String cell(Result r) {
            return format(r.median()) + " (" + format(r.min()) + "–" + format(r.max()) + ")";
        }
    }
}
