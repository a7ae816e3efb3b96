package dev.eventide.bench;

import java.util.Map;

/**
 * tokio's figures from {@code bench/WORKLOADS.md} ("Reference figures: tokio"), in the harness's
 * units (ns per iteration, Mmsg/s). They were measured separately, on a machine of this
 * project's kind (2 CPUs, tokio with 2 workers), not in this run: the table marks them so.
 */
final class TokioReference {
    /** A failed figure (tokio 1.24.2 starves W3b). */
    static final double FAILED = Double.NaN;

    /**
     * A pair of reference figures.
     *
     * @param v153 tokio 1.53.1
     * @param v124 tokio 1.24.2 ({@link #FAILED} if it failed)
     */
    record Figures(double v153, double v124) {
    }

    private static final Map<String, Figures> BY_ID = Map.of(
            "W1", new Figures(15.93e6, 7.74e6),
            "W2", new Figures(9.41e6, 5.61e6),
            "W3a", new Figures(5.58e6, 6.70e6),
            "W3b", new Figures(69.1e6, FAILED),
            "W4", new Figures(13.88e6, 11.78e6),
            "W5", new Figures(1.647e6, 1.536e6),
            "W6", new Figures(427.4e3, 180.6e3),
            "W7-1p1c", new Figures(5.43, 3.98),
            "W7-4p1c", new Figures(3.46, 3.28));

    private TokioReference() {
    }

    /** The figures for a workload id, or null if WORKLOADS.md has none. */
    static Figures of(String id) {
        return BY_ID.get(id);
    }
}
