package dev.eventide.examples.portscan;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.signal.Signal;
import dev.eventide.signal.SignalStream;
import dev.eventide.sync.CancellationToken;
import dev.eventide.sync.Select;
import dev.eventide.sync.Selected;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code portscan}: a TCP connect scanner on Eventide. Parses the command line (picocli), resolves
 * the targets on the blocking pool, runs {@link ScanEngine} while listening for Ctrl-C, and
 * prints a {@link TextReport} or a {@link JsonReport}. {@code --demo} runs {@link DemoScan}.
 *
 * <p>Exit status: 0 when the scan ran (whatever it found), 1 when no target could be resolved
 * (or the demo's check failed), 2 on a usage error (the message names the problem; no stack
 * trace), 130 when interrupted by Ctrl-C (after printing what was found so far).
 */
@Command(name = "portscan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scans TCP ports with connect probes, many at once, on the Eventide runtime.",
            "By default: the 100 most common ports (Nmap's frequency ranking), open ports only."},
        footer = {"", "Examples:",
            "  portscan --demo                    listen on loopback, scan it, check",
            "  portscan localhost                 the 100 most common ports",
            "  portscan -p- 127.0.0.1             all 65535 ports",
            "  portscan -p 22,80,8000-8100 -a ::1 a port list, every state shown",
            "  portscan --top 20 --json 10.0.0.0/28   a range, as JSON",
            "", "Exit status: 0 scanned, 1 no target resolved, 2 usage error,", "130 interrupted (Ctrl-C)."})
public final class PortScan implements Callable<Integer> {
    /** Exit status of a usage error. */
    public static final int USAGE = 2;
    /** Exit status after Ctrl-C (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
    /** The default cap on the number of hosts the targets may stand for. */
    public static final long DEFAULT_MAX_HOSTS = 65_536;
    /** The default number of connects in flight (before the descriptor-limit clamp). */
    public static final int DEFAULT_CONCURRENCY = 512;

    @Spec
    CommandSpec spec;

    // Strings, parsed in validate(): a failing converter on a multi-value positional makes picocli
    // report "unmatched argument" instead of the converter's message.
    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "host names, IPv4/IPv6 addresses, CIDR ranges (10.0.0.0/24, fd00::/120)")
    List<String> targetArgs = new ArrayList<>();

    private final List<TargetSpec> targets = new ArrayList<>();

    @Option(names = {"-p", "--ports"}, paramLabel = "PORTS", converter = PortsConverter.class,
            description = "ports and ranges: 22,80,8000-8100; -p- for all 65535")
    PortList ports;

    @Option(names = "--top", paramLabel = "N",
            description = "the N most common ports (1-100; the default is all 100 of the embedded list)")
    Integer top;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "1s", description = "connect timeout: 500ms, 2s, 1.5s (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = {"-r", "--retries"}, paramLabel = "N", defaultValue = "1",
            description = "retries after a timeout (default ${DEFAULT-VALUE})")
    int retries;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "" + DEFAULT_CONCURRENCY,
            description = "connects in flight at once (default ${DEFAULT-VALUE}; lowered to fit the file-descriptor limit)")
    int concurrency;

    @Option(names = "--max-hosts", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_HOSTS,
            description = "refuse targets that stand for more hosts than this (default ${DEFAULT-VALUE})")
    long maxHosts;

    @Option(names = "--json", description = "print one JSON document on standard output")
    boolean json;

    @Option(names = {"-a", "--all"}, description = "show every state: open, closed, filtered")
    boolean allStates;

    @Option(names = "--open-only", description = "show open ports only (the default)")
    boolean openOnly;

    @Option(names = "--no-progress", description = "no progress bar (it is shown only on a terminal anyway)")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "report each open port on standard error as it is found")
    boolean verbose;

    @Option(names = "--demo", description = "open listeners on loopback, scan loopback, check the result")
    boolean demo;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line with standard streams; returns the exit status. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The picocli command, with the usage-error handler (message naming the problem, a hint,
     * status 2) and the execution-error handler (message, status 1) installed.
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new PortScan());
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("portscan: " + ex.getMessage());
            err.println("Try 'portscan --help' for the options.");
            err.flush();
            return USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("portscan: error: " + ex);
            err.flush();
            return 1;
        });
        return cmd;
    }

    @Override
    public Integer call() {
        validate();
        ScanOptions options = new ScanOptions(timeout, retries, clampConcurrency());
        if (demo) {
            return DemoScan.run(out(), err(), options, json);
        }
        int[] portList = ports != null ? ports.ports() : TopPorts.get().top(top != null ? top : TopPorts.get().size());
        try (Eventide rt = Eventide.builder().build()) {
            return rt.blockOn(() -> scanAndReport(portList, options));
        }
    }

    private int scanAndReport(int[] portList, ScanOptions options) {
        List<String> unresolved = new ArrayList<>();
        List<Target> hosts = TargetResolver.resolve(targets, message -> {
            unresolved.add(message);
            err().println("portscan: " + message + "; scanning the others");
            err().flush();
        });
        if (hosts.isEmpty()) {
            err().println("portscan: nothing to scan: no target could be resolved");
            err().flush();
            return 1;
        }
        Outcome outcome;
        // Listen for Ctrl-C before saying the scan started, so an early Ctrl-C is never the JVM's.
        try (SignalStream sigint = ctrlC()) {
            if (!json) {
                out().printf("Scanning %s, %d port%s each (concurrency %d, timeout %s)%n",
                        hosts.size() == 1 ? hosts.getFirst().display() : hosts.size() + " hosts", portList.length,
                        portList.length == 1 ? "" : "s", options.concurrency(), Durations.format(options.timeout()));
                out().flush();
            }
            ScanEngine.Listener discovered = !verbose ? null : (r, done) -> {
                if (r.state() == PortState.OPEN) {
                    err().println("Discovered open port " + r.port() + "/tcp on " + r.target().display());
                    err().flush();
                }
            };
            outcome = scanWithCtrlC(hosts, portList, options, !noProgress && ProgressBar.enabled(), sigint, discovered);
        }
        if (outcome.interrupted()) {
            err().println("portscan: interrupted (Ctrl-C): reporting what was found so far");
            err().flush();
        }
        if (json) {
            JsonReport.print(out(), JsonReport.document(hosts, portList.length, options, outcome.report(), allStates,
                    unresolved));
        } else {
            TextReport.print(out(), hosts, outcome.report(), allStates);
        }
        return outcome.interrupted() ? INTERRUPTED : 0;
    }

    /** A finished scan and whether Ctrl-C ended it. */
    record Outcome(ScanReport report, boolean interrupted) {
    }

    /**
     * Listens for SIGINT from now on (replacing the JVM's exit-on-Ctrl-C while open); null if the
     * JVM refuses (started with {@code -Xrs}: Ctrl-C simply ends the process) or the process
     * ignores SIGINT (started in the background: Ctrl-C cannot reach it anyway).
     */
    static SignalStream ctrlC() {
        try {
            return Signal.of("INT");
        } catch (IllegalArgumentException | IllegalStateException unavailable) {
            return null;
        }
    }

    /**
     * Runs the scan as a task raced against the next signal of {@code sigint} (when not null); on
     * Ctrl-C cancels the scan and waits for the partial report. Call inside an async block.
     *
     * @param extra told of each result besides the progress bar, or null
     */
    static Outcome scanWithCtrlC(List<Target> hosts, int[] portList, ScanOptions options, boolean progress,
            SignalStream sigint, ScanEngine.Listener extra) {
        CancellationToken cancel = new CancellationToken();
        ProgressBar bar = progress ? new ProgressBar(System.err, (long) hosts.size() * portList.length) : null;
        ScanEngine.Listener listener = (r, done) -> {
            if (extra != null) {
                extra.onResult(r, done);
            }
            if (bar != null) {
                bar.onResult(r, done);
            }
        };
        JoinHandle<ScanReport> scan = Eventide.spawn(() -> ScanEngine.scan(hosts, portList, options, cancel, listener));
        Selected<Object> first = sigint == null
                ? new Selected<>(0, scan.await())
                : Select.<Object>biased(scan, sigint.recv()).await();
        boolean interrupted = first.index() == 1;
        if (interrupted) {
            cancel.cancel();
        }
        ScanReport report = interrupted ? scan.await() : (ScanReport) first.value();
        if (bar != null) {
            bar.finish();
        }
        return new Outcome(report, interrupted);
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        targets.clear();
        for (String t : targetArgs) {
            try {
                targets.add(TargetSpec.parse(t));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "bad target: " + e.getMessage());
            }
        }
        if (concurrency < 1) {
            throw new ParameterException(cl, "--concurrency must be at least 1, was " + concurrency);
        }
        if (retries < 0) {
            throw new ParameterException(cl, "--retries must be 0 or more, was " + retries);
        }
        if (maxHosts < 1) {
            throw new ParameterException(cl, "--max-hosts must be at least 1, was " + maxHosts);
        }
        if (ports != null && top != null) {
            throw new ParameterException(cl, "choose either --ports or --top, not both");
        }
        if (top != null && (top < 1 || top > TopPorts.get().size())) {
            throw new ParameterException(cl, "--top must be between 1 and " + TopPorts.get().size()
                    + " (the size of the embedded list), was " + top);
        }
        if (allStates && openOnly) {
            throw new ParameterException(cl, "choose either --all or --open-only, not both");
        }
        if (demo && (!targets.isEmpty() || ports != null || top != null)) {
            throw new ParameterException(cl, "--demo scans loopback's default ports: give it no targets or ports");
        }
        if (!demo && targets.isEmpty()) {
            throw new ParameterException(cl, "no target given (a host name, an address or a CIDR range; or --demo)");
        }
        try {
            TargetResolver.checkSize(targets, maxHosts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    private int clampConcurrency() {
        int max = FdLimit.maxConcurrency();
        if (concurrency <= max) {
            return concurrency;
        }
        err().println("portscan: concurrency lowered from " + concurrency + " to " + max
                + " to fit the file-descriptor limit (raise it with 'ulimit -n')");
        err().flush();
        return max;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The ports of {@code -p}, ascending. */
    record PortList(int[] ports) {
    }

    /** Converts a port list; the message names what is wrong with it. */
    static final class PortsConverter implements ITypeConverter<PortList> {
        @Override
        public PortList convert(String value) {
            try {
                return new PortList(PortSpec.parse(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Converts a timeout; the message names what is wrong with it. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parsePositive(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
