package dev.eventide.bench;

/** How a workload's figure is measured, and whether smaller is better. */
public enum Unit {
    /** Nanoseconds per iteration: smaller is better. */
    NS("ns", true),
    /** Million messages per second: larger is better. */
    MMSG_PER_S("Mmsg/s", false),
    /** Milliseconds per run (W8's wall time): smaller is better. */
    MS("ms", true),
    /** Bytes of resident memory per task (W9): smaller is better. */
    BYTES_PER_TASK("bytes/task", true),
    /** Requests per second (W10, W11): larger is better. */
    REQ_PER_S("req/s", false);

    /** The unit as written in the JSON output. */
    public final String symbol;
    /** Whether a smaller figure is a better one. */
    public final boolean lowerIsBetter;

    Unit(String symbol, boolean lowerIsBetter) {
        this.symbol = symbol;
        this.lowerIsBetter = lowerIsBetter;
    }
}
