package dev.eventide.examples.portscan;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a scan found: every probe's result (in the order they completed), how many probes were
 * planned, how long it took, and whether it was interrupted before the end.
 *
 * @param results the results of the probes that completed
 * @param planned the number of probes the scan would make if not interrupted
 * @param elapsedNanos wall-clock time of the scan
 * @param interrupted whether the scan was cancelled (Ctrl-C) before every probe was made
 */
public record ScanReport(List<ScanResult> results, long planned, long elapsedNanos, boolean interrupted) {
    /** Orders results by host (in address order) then port. */
    public static final Comparator<ScanResult> BY_HOST_AND_PORT = Comparator
            .comparing((ScanResult r) -> r.target().address().getAddress(), java.util.Arrays::compareUnsigned)
            .thenComparingInt(ScanResult::port);

    /** The results, copied. */
    public ScanReport {
        results = List.copyOf(results);
    }

    /** The number of results in each state (every state present, zero if none). */
    public Map<PortState, Long> counts() {
        Map<PortState, Long> m = new EnumMap<>(PortState.class);
        for (PortState s : PortState.values()) {
            m.put(s, 0L);
        }
        for (ScanResult r : results) {
            m.merge(r.state(), 1L, Long::sum);
        }
        return m;
    }

    /** The results in {@code state}, by host then port. */
    public List<ScanResult> inState(PortState state) {
        return results.stream().filter(r -> r.state() == state).sorted(BY_HOST_AND_PORT).toList();
    }

    /** Probes completed per second of elapsed time. */
    public double portsPerSecond() {
        return elapsedNanos <= 0 ? 0 : results.size() * 1e9 / elapsedNanos;
    }
}
