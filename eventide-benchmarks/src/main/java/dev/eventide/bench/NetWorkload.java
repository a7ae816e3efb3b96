package dev.eventide.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A loopback network workload (W10, W11): each system's server runs in its own JVM
 * ({@link ServerProcess}), a native load generator ({@link LoadClient}) in another process
 * measures it, and the figures are requests per second plus latency percentiles.
 *
 * <p>An iteration is one client run against a server started when the workload is opened, made
 * to answer one request ({@link #probe}) and kept for all its runs (so the runs after the first
 * meet a JIT-compiled server). Full mode: one
 * warm-up run, then 3 timed runs of 10 s (WORKLOADS.md's duration); quick mode: one timed run of
 * 1 s. {@link #runInterleaved} runs the systems alternately: warm-up of every system, then run 1
 * of every system, run 2 of every system, ..., so that a slow drift of the machine touches every
 * system alike (in full mode with a 1 s pause before each run, for the server measured before to
 * finish compiling in the background); the median, min and max are over each system's timed runs.
 *
 * <p>Missing tools ({@code cc}, {@code wrk}) or a transport that does not load (Netty's epoll)
 * make a system <em>skipped</em>; a run whose client reports errors is invalid and fails that
 * system (WORKLOADS.md: "a run with errors ... is invalid").
 */
abstract class NetWorkload implements Workload {
    /** Seconds a server may take to start and listen (a JVM start on a loaded 2-CPU machine). */
    private static final long START_SECONDS = 60;
    /** Full mode's pause before each run, so that the server measured before stops compiling in the background. */
    private static final long SETTLE_MILLIS = 1_000;
    /** Seconds the first request may take (see {@link #probe}). */
    private static final long PROBE_SECONDS = 30;

    private final LoadClient client;

    NetWorkload(LoadClient client) {
        this.client = client;
    }

    /** The keys of the figures, the value's ({@code rps}) first. */
    abstract List<String> figures();

    /** The client's command line as the report shows it. */
    abstract String clientDescription(Size size);

    /** The workload whose Eventide figures this one's ratios are taken to: itself, unless it has no Eventide row. */
    String baselineId() {
        return id();
    }

    /** The length of one client run: WORKLOADS.md's 10 s, 1 s in quick mode. */
    static int runSeconds(Size size) {
        return size.pick(10, 1);
    }

    @Override
    public Unit unit() {
        return Unit.REQ_PER_S;
    }

    @Override
    public long opsPerIteration(Size size) {
        return 1;
    }

    @Override
    public String opName() {
        return "run";
    }

    /** The systems with a network server: every one but {@code fjp-cf} (the JDK's channels run on the plain pool). */
    @Override
    public Set<Sys> systems() {
        return EnumSet.of(Sys.EVENTIDE, Sys.EVENTIDE_POLL, Sys.FJP, Sys.VTHREADS, Sys.NETTY, Sys.NETTY_EPOLL);
    }

    @Override
    public int warmupIterations(Size size) {
        return size.pick(1, 0);
    }

    @Override
    public int timedIterations(Size size) {
        return size.pick(3, 1);
    }

    /** A run lasts the client's duration plus its warm-up; this is no starvation test. */
    @Override
    public long iterationLimitNanos(Size size, long harnessLimitNanos) {
        return Math.max(harnessLimitNanos, TimeUnit.SECONDS.toNanos(START_SECONDS + runSeconds(size) + 60));
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) throws Exception {
        if (!systems().contains(sys)) {
            throw new IllegalArgumentException(id() + " is not implemented on " + sys.key);
        }
        client.prepare();
        if (sys == Sys.NETTY_EPOLL) {
            Peers.nettyTransport(sys); // skip before starting a JVM where epoll does not load
        }
        ServerProcess server = ServerProcess.start(id(), sys, workers, START_SECONDS);
        try {
            probe(ServerProcess.protocolOf(id()), server.port());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("the " + id() + " server of " + sys.key + " did not answer a first request: " + e, e);
        }
        return new Trial() {
            private Map<String, Double> last = Map.of();

            @Override
            public double iteration() throws Exception {
                last = client.run(server.port(), runSeconds(size), size);
                if (!server.isAlive()) {
                    throw new LoadClient.InvalidRunException("the server's process died during the run");
                }
                return last.get("rps");
            }

            @Override
            public Map<String, Double> extras() {
                return last;
            }

            @Override
            public void close() throws InterruptedException {
                server.close();
            }
        };
    }

    /**
     * Runs this workload on every system of {@code systems} it supports, alternating systems
     * from one run to the next (see the class comment); every server is killed before it returns.
     */
    List<Result> runInterleaved(List<Sys> systems, int workers, Size size, int warmup, int timed)
            throws InterruptedException {
        Map<Sys, Trial> trials = new LinkedHashMap<>();
        Map<Sys, Result> done = new LinkedHashMap<>();
        Map<Sys, double[]> values = new LinkedHashMap<>();
        Map<Sys, Map<String, double[]>> extras = new LinkedHashMap<>();
        List<Sys> mine = systems.stream().filter(systems()::contains).toList();
        try {
            for (Sys s : mine) {
                try {
                    trials.put(s, open(s, workers, size));
                    values.put(s, new double[timed]);
                    extras.put(s, new LinkedHashMap<>());
                } catch (SkippedException e) {
                    done.put(s, Result.skipped(this, s, size, e.getMessage()));
                } catch (Exception e) {
                    done.put(s, Result.failed(this, s, size, e.toString()));
                }
            }
            for (int i = 0; i < warmup + timed; i++) {
                for (Sys s : mine) {
                    Trial t = trials.get(s);
                    if (t == null) {
                        continue;
                    }
                    // full mode: let the previous server's JIT compiler threads finish before the next run
                    Thread.sleep(size.quick() ? 0 : SETTLE_MILLIS);
                    try {
                        double v = t.iteration();
                        if (i >= warmup) {
                            values.get(s)[i - warmup] = v;
                            for (Map.Entry<String, Double> e : t.extras().entrySet()) {
                                extras.get(s).computeIfAbsent(e.getKey(), k -> nan(timed))[i - warmup] = e.getValue();
                            }
                        }
                    } catch (Exception e) {
                        done.put(s, Result.failed(this, s, size, e.getMessage() == null ? e.toString() : e.getMessage()));
                        trials.remove(s);
                        closeQuietly(t);
                    }
                }
            }
            for (Sys s : trials.keySet()) {
                done.put(s, Result.ok(this, s, size, warmup, values.get(s), extras.get(s)));
            }
        } finally {
            trials.values().forEach(NetWorkload::closeQuietly);
        }
        List<Result> inOrder = new ArrayList<>();
        for (Sys s : mine) {
            inOrder.add(done.get(s));
        }
        return inOrder;
    }

    /**
     * Sends one request (64 bytes to echo, or one GET) and checks its answer, before any run:
     * a server that just started first loads the classes of its serving path, which on a busy
     * machine can take longer than a whole 1 s quick-mode run.
     */
    static void probe(NetServer.Protocol protocol, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) TimeUnit.SECONDS.toMillis(PROBE_SECONDS));
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(PROBE_SECONDS));
            byte[] request = protocol == NetServer.Protocol.ECHO ? new byte[64]
                    : "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            Arrays.fill(request, 0, protocol == NetServer.Protocol.ECHO ? 64 : 0, (byte) 'e');
            s.getOutputStream().write(request);
            int expected = protocol == NetServer.Protocol.ECHO ? 64 : HttpHeads.RESPONSE.length;
            byte[] answer = s.getInputStream().readNBytes(expected);
            boolean ok = protocol == NetServer.Protocol.ECHO ? Arrays.equals(answer, request)
                    : new String(answer, StandardCharsets.US_ASCII).equalsIgnoreCase(
                            new String(HttpHeads.RESPONSE, StandardCharsets.US_ASCII));
            if (!ok) {
                throw new IllegalStateException("wrong answer: '" + new String(answer, StandardCharsets.US_ASCII) + "'");
            }
        }
    }

    private static void closeQuietly(Trial t) {
        try {
            t.close();
        } catch (Exception e) {
            System.getLogger("dev.eventide.bench").log(System.Logger.Level.WARNING, "stopping a server failed", e);
        }
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
