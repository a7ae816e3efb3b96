package dev.eventide.examples.portscan;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.net.TcpListener;
import dev.eventide.signal.SignalStream;
import dev.eventide.sync.CancellationToken;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code portscan --demo}, the README's first command: a scan whose right answer is known.
 *
 * <ol>
 *   <li>Scan loopback's default ports once, quietly, to learn which were already open.</li>
 *   <li>Open listeners on {@value #LISTENERS} of the free ones (unprivileged ports of the default
 *       list, most common first), each with a task that accepts and closes connections.</li>
 *   <li>Scan loopback's default ports again and print the report.</li>
 *   <li>Pass (exit 0) only if the open ports are exactly the listeners plus those open before;
 *       otherwise say what differs and exit 1.</li>
 * </ol>
 */
public final class DemoScan {
    /** How many listeners the demo opens. */
    static final int LISTENERS = 4;

    private DemoScan() {
    }

    /**
     * What the demo did and found.
     *
     * @param opened the ports the demo listened on
     * @param alreadyOpen the default ports found open before the demo listened
     * @param report the scan made while the listeners were open
     * @param interrupted whether Ctrl-C stopped the scan
     */
    record Result(Set<Integer> opened, Set<Integer> alreadyOpen, ScanReport report, boolean interrupted) {
        /** The open ports the scan found. */
        Set<Integer> found() {
            return report.inState(PortState.OPEN).stream().map(ScanResult::port)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        /** The ports the scan should have found open. */
        Set<Integer> expected() {
            Set<Integer> s = new TreeSet<>(opened);
            s.addAll(alreadyOpen);
            return s;
        }

        /** Whether the scan found exactly what was expected. */
        boolean passed() {
            return !interrupted && !opened.isEmpty() && found().equals(expected());
        }
    }

    /**
     * Runs the demo on a runtime of its own, printing to {@code out}; returns the exit status.
     * The report is printed on the calling thread once the scan is over, as the command line
     * does: writing a console is a blocking call, and formatting a report for the first time
     * (class loading, an interpreted {@code Formatter}) held a worker for over 100 ms once, which
     * the blocked-worker detector rightly reported.
     */
    public static int run(PrintWriter out, PrintWriter err, ScanOptions options, boolean json) {
        Target loopback = new Target(null, loopback());
        int[] ports = TopPorts.get().top(TopPorts.get().size());
        PrintWriter narration = json ? err : out;
        narration.println("Eventide port scanner demo");
        narration.flush();
        Result r;
        try (Eventide rt = Eventide.builder().build()) {
            r = rt.blockOn(() -> perform(loopback, ports, options, opened -> {
                narration.println("  listening on 127.0.0.1, ports " + describe(opened));
                narration.printf("  scanning the %d most common TCP ports of 127.0.0.1 (concurrency %d, timeout %s)%n%n",
                        ports.length, options.concurrency(), Durations.format(options.timeout()));
                narration.flush();
            }));
        }
        return report(out, err, narration, loopback, ports, options, json, r);
    }

    private static int report(PrintWriter out, PrintWriter err, PrintWriter narration, Target loopback, int[] ports,
            ScanOptions options, boolean json, Result r) {
        if (json) {
            JsonReport.print(out, JsonReport.document(List.of(loopback), ports.length, options, r.report(), false,
                    List.of()));
        } else {
            TextReport.print(out, List.of(loopback), r.report(), false);
            out.println();
        }
        if (r.interrupted()) {
            err.println("portscan: interrupted (Ctrl-C)");
            err.flush();
            return PortScan.INTERRUPTED;
        }
        if (r.passed()) {
            narration.println("Demo passed: the scan found exactly the " + r.opened().size() + " ports the demo opened"
                    + (r.alreadyOpen().isEmpty() ? "" : ", plus " + describe(r.alreadyOpen()) + " already open before it")
                    + ".");
            narration.println("Next: './eventide run portscan -p- 127.0.0.1' scans all 65,535 ports; --help lists the options.");
            narration.flush();
            return 0;
        }
        Set<Integer> missing = new TreeSet<>(r.expected());
        missing.removeAll(r.found());
        Set<Integer> extra = new TreeSet<>(r.found());
        extra.removeAll(r.expected());
        err.println("Demo FAILED: expected open " + r.expected() + ", found " + r.found()
                + (missing.isEmpty() ? "" : "; missed " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra)
                + (r.opened().isEmpty() ? "; no free port of the default list could be opened" : ""));
        err.flush();
        return 1;
    }

    /** Callback told which ports the demo listens on, before the main scan starts. */
    interface Listening {
        void started(Set<Integer> ports);
    }

    /**
     * Does the demo's work without printing: pre-scan, listen, scan (Ctrl-C interrupts it),
     * close the listeners. Call inside an async block.
     */
    static Result perform(Target loopback, int[] ports, ScanOptions options, Listening listening) {
        ScanReport before = ScanEngine.scan(List.of(loopback), ports, options, new CancellationToken(), (x, n) -> { });
        Set<Integer> alreadyOpen = new TreeSet<>();
        before.inState(PortState.OPEN).forEach(res -> alreadyOpen.add(res.port()));
        List<TcpListener> listeners = new ArrayList<>();
        List<JoinHandle<Void>> acceptors = new ArrayList<>();
        Set<Integer> opened = new LinkedHashSet<>();
        try {
            for (int port : ports) {
                if (opened.size() == LISTENERS) {
                    break;
                }
                if (port < 1024 || alreadyOpen.contains(port)) {
                    continue; // privileged ports need root; open ones are someone else's
                }
                TcpListener l;
                try {
                    l = TcpListener.bind(new InetSocketAddress(loopback.address(), port));
                } catch (UncheckedIOException inUse) {
                    continue; // taken on another address, or just now: try the next port
                }
                listeners.add(l);
                opened.add(port);
                acceptors.add(Eventide.spawn(() -> {
                    for (;;) {
                        l.accept().await().close();
                    }
                }));
            }
            try (SignalStream sigint = PortScan.ctrlC()) {
                listening.started(opened);
                PortScan.Outcome outcome = PortScan.scanWithCtrlC(List.of(loopback), ports, options, false, sigint, null);
                return new Result(opened, alreadyOpen, outcome.report(), outcome.interrupted());
            }
        } finally {
            acceptors.forEach(JoinHandle::abort);
            listeners.forEach(TcpListener::close);
        }
    }

    private static InetAddress loopback() {
        return TargetSpec.Addresses.parseLiteral("127.0.0.1");
    }

    private static String describe(Set<Integer> ports) {
        if (ports.isEmpty()) {
            return "none";
        }
        return ports.stream().map(p -> p + " (" + TopPorts.get().service(p) + ")").collect(Collectors.joining(", "));
    }
}
