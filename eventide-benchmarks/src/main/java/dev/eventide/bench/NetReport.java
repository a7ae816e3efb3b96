package dev.eventide.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown section of the network workloads (W10, W11): every figure of every system (rate
 * and latency percentiles), tokio's reference figures from WORKLOADS.md where there are some,
 * Eventide's ratio to each, and how each system's server and the clients run.
 */
final class NetReport {
    private NetReport() {
    }

    /** Appends the section if any network workload was selected. */
    static void section(StringBuilder md, List<Workload> workloads, List<Sys> systems, List<Sys> peers,
            List<Result> results, List<Result> skipped, boolean quick) {
        List<NetWorkload> net = workloads.stream().filter(w -> w instanceof NetWorkload).map(w -> (NetWorkload) w).toList();
        if (net.isEmpty()) {
            return;
        }
        Size size = quick ? Size.QUICK : Size.FULL;
        md.append("\n## Network (W10, W11): every figure\n\n");
        md.append("Each system's server runs in its own JVM (`").append(String.join(" ", ServerProcess.JVM_OPTIONS))
                .append(" -Djdk.virtualThreadScheduler.parallelism=WORKERS`, the harness's `java`, class path and "
                        + "`--add-exports`), with the harness's worker count, on 127.0.0.1; the client is a native "
                        + "program in another process on the same machine, so server and client share the CPUs. ");
        for (NetWorkload w : net) {
            md.append(w.id()).append("'s client: `").append(w.clientDescription(size)).append("`. ");
        }
        md.append("Runs: ").append(net.getFirst().warmupIterations(size)).append(" warm-up + ")
                .append(net.getFirst().timedIterations(size)).append(" timed per system, the systems taking turns run "
                        + "by run; each cell is the median (min–max) of the timed runs. A run whose client reports "
                        + "errors is invalid and fails that system. **×peer**: Eventide's rate ÷ the peer's, or the "
                        + "peer's latency ÷ Eventide's; above 1 is better. tokio: WORKLOADS.md's figures, **measured "
                        + "separately** (2 CPUs, 2 workers, wrk 4.1.0; W10 with echoload on tokio 1.24.2 only)");
        md.append(quick ? "; no ratio to them in quick mode (1 s runs).\n\n" : ".\n\n");
        md.append("| figure | unit |");
        for (Sys s : systems) {
            md.append(' ').append(s.title).append(" |");
        }
        md.append(" tokio 1.53.1 / 1.24.2 (ref., measured separately) |");
        for (Sys p : peers) {
            md.append(" ×").append(p.key).append(" |");
        }
        md.append(" ×tokio |\n|---|---|").append("---|".repeat(systems.size() + 1 + peers.size() + 1)).append('\n');
        for (NetWorkload w : net) {
            Map<Sys, Result> row = new LinkedHashMap<>();
            for (Result r : results) {
                if (r.workload() == w) {
                    row.put(r.sys(), r);
                }
            }
            for (String key : w.figures()) {
                boolean rate = key.equals("rps");
                md.append("| ").append(w.id()).append(' ').append(key).append(" | ").append(rate ? "req/s" : "µs").append(" |");
                for (Sys s : systems) {
                    Result r = row.get(s);
                    String cell;
                    if (r == null) {
                        cell = Report.absent(skipped, w, s, w.systems().contains(s) ? "failed" : "n/a");
                    } else if (r.failed()) {
                        cell = "failed";
                    } else {
                        cell = Report.fmt(r.extraMedian(key)) + " (" + Report.fmt(r.extraMin(key)) + "–"
                                + Report.fmt(r.extraMax(key)) + ")";
                    }
                    md.append(' ').append(cell).append(" |");
                }
                TokioReference.Figures tokio = rate ? TokioReference.of(w.id()) : TokioReference.of(w.id(), key);
                md.append(' ').append(tokio == null ? "–" : ref(tokio.v153()) + " / " + ref(tokio.v124())).append(" |");
                Result base = results.stream()
                        .filter(r -> r.workload().id().equals(w.baselineId()) && r.sys() == Sys.EVENTIDE)
                        .findFirst().orElse(null);
                double e = base == null || base.failed() ? Double.NaN : base.extraMedian(key);
                for (Sys p : peers) {
                    Result r = row.get(p);
                    md.append(' ').append(ratio(rate, e, r == null || r.failed() ? Double.NaN : r.extraMedian(key))).append(" |");
                }
                String vsTokio = "–";
                if (tokio != null && !quick) {
                    vsTokio = Double.isNaN(tokio.v153()) ? ratio(rate, e, tokio.v124()) + " (1.24.2)"
                            : ratio(rate, e, tokio.v153()) + " (1.53.1)";
                }
                md.append(' ').append(vsTokio).append(" |\n");
            }
        }
        md.append(NOTES);
    }

    private static String ref(double v) {
        return Double.isNaN(v) ? "–" : Report.fmt(v);
    }

    /** Eventide ÷ peer for a rate, peer ÷ Eventide for a latency; "–" where either is missing. */
    private static String ratio(boolean rate, double eventide, double peer) {
        if (Double.isNaN(eventide) || Double.isNaN(peer) || eventide <= 0 || peer <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", rate ? eventide / peer : peer / eventide);
    }

    private static final String NOTES = """

            How each system serves W10 and W11 (`NetServer`; W11's framing is `HttpHeads`'s, the same loop
            on every system: each `\\r\\n\\r\\n` ends a request head, one 78-byte response per head, the
            responses of one read in one write, a head over 16 KiB closes the connection):

            - **Eventide**: `TcpListener` (backlog 1,024) with an accept-loop task, one task per connection,
              `TCP_NODELAY`, 16 KiB direct read buffer; async blocks (`read(..).await()`, `writeAll(..).await()`)
              or, for `eventide-poll`, a `Future` state machine over `pollRead`/`pollWrite`.
            - **ForkJoinPool**: the JDK's `AsynchronousServerSocketChannel`/`AsynchronousSocketChannel` with
              `CompletionHandler`s, in an `AsynchronousChannelGroup.withThreadPool(the ForkJoinPool)`: the handlers
              run on the pool's `workers` threads; the group adds one internal thread that waits in `epoll_wait`
              and hands completions to the pool.
            - **Virtual threads**: blocking `ServerSocket`/`Socket`, an accepting virtual thread and one virtual
              thread per connection (`newVirtualThreadPerTaskExecutor`); scheduler parallelism = workers.
            - **Netty** (`netty`: NIO transport; `netty-epoll`: native epoll transport, where it loads): one
              `MultiThreadIoEventLoopGroup` of `workers` loops that accepts and serves, default (pooling, direct)
              allocator, `TCP_NODELAY`, `FixedRecvByteBufAllocator(16 KiB)`; W10 is Netty's echo handler (`write`
              in `channelRead`, `flush` in `channelReadComplete`); W11 a `ByteToMessageDecoder` with the framing
              above (not netty-codec-http, which does more work and adds no headers here) and a handler writing
              a `duplicate()` of one unreleasable direct response buffer per request, one flush per read.
            - **W11-codec** (extra rows, Netty only): the same load against Netty's own `HttpServerCodec`
              and the handler of its hello-world example (`DefaultFullHttpResponse`, keep-alive honoured),
              which parses every request fully; it writes the spec's two headers in lower case and no
              other. Its ratios are Eventide's W11 figure against it; its tokio reference is WORKLOADS.md's
              hyper 0.14 server.
            - `fjp-cf` has no network row: the JDK's channels run on the plain pool.
            """;
}
