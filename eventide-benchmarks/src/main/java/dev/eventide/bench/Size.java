package dev.eventide.bench;

/**
 * Full or quick sizes. Full sizes are WORKLOADS.md's constants; quick sizes are small enough that
 * every workload on every system runs in a few seconds in all, so that CI can run the harness on
 * every build and it never rots.
 *
 * @param quick whether to use the quick sizes
 */
public record Size(boolean quick) {
    /** WORKLOADS.md's sizes. */
    public static final Size FULL = new Size(false);
    /** The quick mode's sizes. */
    public static final Size QUICK = new Size(true);

    /** {@code full} in full mode, {@code quick} in quick mode. */
    public int pick(int full, int quick) {
        return this.quick ? quick : full;
    }
}
