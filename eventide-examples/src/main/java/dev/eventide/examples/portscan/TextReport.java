package dev.eventide.examples.portscan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable report: per host, a table of ports (open ones only, unless every state was
 * asked for), then a summary line with the counts, the elapsed time and the rate. When several
 * hosts were scanned, those with nothing to show are counted in one line instead.
 *
 * <pre>
 * Scan report for localhost (127.0.0.1)
 * PORT       STATE     SERVICE
 * 22/tcp     open      ssh
 * 8080/tcp   open      http-proxy
 *
 * Scanned 100 ports on 1 host in 0.04 s (2,500 ports/s): 2 open, 98 closed, 0 filtered.
 * </pre>
 */
public final class TextReport {
    private TextReport() {
    }

    /** Prints the per-host tables and the summary of {@code report}. */
    public static void print(PrintWriter out, List<Target> targets, ScanReport report, boolean allStates) {
        Map<Target, List<ScanResult>> byHost = new LinkedHashMap<>();
        for (Target t : targets) {
            byHost.put(t, new ArrayList<>());
        }
        for (ScanResult r : report.results().stream().sorted(ScanReport.BY_HOST_AND_PORT).toList()) {
            if (allStates || r.state() == PortState.OPEN) {
                byHost.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r);
            }
        }
        int quiet = 0;
        for (var e : byHost.entrySet()) {
            if (e.getValue().isEmpty() && byHost.size() > 1) {
                quiet++; // a range's silent hosts would drown the ones that answer
                continue;
            }
            out.println("Scan report for " + e.getKey().display());
            if (e.getValue().isEmpty()) {
                out.println(allStates ? "  no port scanned" : "  no open port found");
            } else {
                out.printf("%-10s %-9s %s%n", "PORT", "STATE", "SERVICE");
                for (ScanResult r : e.getValue()) {
                    String service = TopPorts.get().service(r.port());
                    String line = String.format(Locale.ROOT, "%-10s %-9s %s", r.port() + "/tcp", r.state().label(),
                            service == null ? "" : service);
                    if (r.detail() != null && r.state() != PortState.OPEN) {
                        line = String.format(Locale.ROOT, "%-40s (%s)", line, r.detail());
                    }
                    out.println(line.stripTrailing());
                }
            }
            out.println();
        }
        if (quiet > 0) {
            out.printf(Locale.ROOT, "%,d host%s with %s.%n%n", quiet, quiet == 1 ? "" : "s",
                    allStates ? "no port scanned" : "no open port");
        }
        out.println(summary(report, targets.size()));
        out.flush();
    }

    /** The one-line summary: ports scanned, per-state counts, elapsed time, rate. */
    public static String summary(ScanReport report, int hosts) {
        var c = report.counts();
        String scanned = report.interrupted()
                ? String.format(Locale.ROOT, "Interrupted after %,d of %,d ports", report.results().size(), report.planned())
                : String.format(Locale.ROOT, "Scanned %,d ports", report.results().size());
        String errors = c.get(PortState.ERROR) > 0 ? String.format(Locale.ROOT, ", %,d errors", c.get(PortState.ERROR)) : "";
        return String.format(Locale.ROOT, "%s on %d host%s in %.2f s (%,.0f ports/s): %,d open, %,d closed, %,d filtered%s.",
                scanned, hosts, hosts == 1 ? "" : "s", report.elapsedNanos() / 1e9, report.portsPerSecond(),
                c.get(PortState.OPEN), c.get(PortState.CLOSED), c.get(PortState.FILTERED), errors);
    }
}
