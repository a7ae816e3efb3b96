package dev.eventide.bench;

import java.util.Map;

/**
 * tokio's figures from {@code bench/WORKLOADS.md} ("Reference figures: tokio"), in the harness's
 * units (ns per iteration, Mmsg/s, ms, bytes per task, MiB, req/s, µs). They were measured separately, on a machine of this
 * project's kind (2 CPUs, tokio with 2 workers), not in this run: the table marks them so.
 */
final class TokioReference {
    /** A failed figure (tokio 1.24.2 starves W3b). */
    static final double FAILED = Double.NaN;
    /** A figure WORKLOADS.md does not have (W10 with echoload on tokio 1.53.1); shown as "–". */
    static final double NOT_MEASURED = Double.NaN;

    /**
     * A pair of reference figures.
     *
     * @param v153 tokio 1.53.1
     * @param v124 tokio 1.24.2 ({@link #FAILED} if it failed)
     */
    record Figures(double v153, double v124) {
    }

    private static final Map<String, Figures> BY_ID = Map.ofEntries(
            Map.entry("W1", new Figures(15.93e6, 7.74e6)),
            Map.entry("W2", new Figures(9.41e6, 5.61e6)),
            Map.entry("W3a", new Figures(5.58e6, 6.70e6)),
            Map.entry("W3b", new Figures(69.1e6, FAILED)),
            Map.entry("W4", new Figures(13.88e6, 11.78e6)),
            Map.entry("W5", new Figures(1.647e6, 1.536e6)),
            Map.entry("W6", new Figures(427.4e3, 180.6e3)),
            Map.entry("W7-1p1c", new Figures(5.43, 3.98)),
            Map.entry("W7-4p1c", new Figures(3.46, 3.28)),
            // W8: wall ms; W9: bytes per task
            Map.entry("W8", new Figures(2590, 3205)),
            Map.entry("W9", new Figures(448.0, 224.1)),
            // W10: req/s with echoload, measured on tokio 1.24.2 only; W11: the server hand-written on tokio
            Map.entry("W10", new Figures(NOT_MEASURED, 171_233)),
            Map.entry("W11", new Figures(144_506, 136_826)),
            // W11 on a full HTTP library: Netty's codec here, hyper 0.14 for tokio
            Map.entry("W11-codec", new Figures(126_639, 120_833)));

    /** The other figures of W8 and W9, by workload id and figure key ({@code W8/p99_lateness_ms}). */
    private static final Map<String, Figures> EXTRAS = Map.of(
            "W8/spawn_ms", new Figures(1055, 1597),
            "W8/p50_lateness_ms", new Figures(258, 2.2),
            "W8/p99_lateness_ms", new Figures(611, 747),
            "W8/peak_rss_mib", new Figures(467, 933),
            "W9/wake_all_ms", new Figures(714, 724),
            "W9/spawn_ms", new Figures(1281, 580),
            "W10/p99_us", new Figures(NOT_MEASURED, 1_262),
            "W11/p99_us", new Figures(552, 655));

    private TokioReference() {
    }

    /** The figures for a workload id, or null if WORKLOADS.md has none. */
    static Figures of(String id) {
        return BY_ID.get(id);
    }

    /** The figures for one of a workload's other figures (e.g. W8's {@code peak_rss_mib}), or null if there are none. */
    static Figures of(String id, String key) {
        return EXTRAS.get(id + "/" + key);
    }
}
