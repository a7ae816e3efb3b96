package dev.eventide.runtime.scheduler;

/**
 * How many scheduler ticks a worker lets pass between looks at the global queue ahead of its
 * own (tokio 1.53's adaptive global queue interval), so that remote work waits about
 * {@value #TARGET_NANOS} ns of local work at most, whatever a task's poll costs.
 *
 * <h2>Why adaptive</h2>
 * A fixed interval counts ticks, not time: with tasks that poll for 10 µs each, 31 ticks leave a
 * remotely spawned task waiting 310 µs per worker behind a stream of local work (workload W3b),
 * and with 100 ns polls the global queue is checked far more often than needed. So the worker
 * measures its mean time per tick, as an exponentially weighted moving average over
 * <em>batches</em> of ticks (the ticks between two maintenance passes or parks: two clock reads
 * per batch, none per poll), and sets the interval to {@code TARGET / mean}, clamped to
 * [{@value #MIN}, {@value #MAX}]. A tick counts its LIFO polls as part of its time, as in tokio:
 * a task and the tasks it wakes are one unit of scheduling.
 *
 * <p>The interval moves only when the new value differs by more than 2 (tokio's jitter
 * filter). A positive {@code globalQueueInterval} in the builder fixes the interval instead.
 * Owned by one core; not thread-safe.
 */
final class GlobalQueueInterval {
    /** How long remote work should wait behind local work, at most. */
    static final long TARGET_NANOS = 200_000;
    static final int MIN = 2;
    static final int MAX = 127;
    /** The starting interval (tokio's fixed default). */
    static final int INITIAL = 31;
    /** Weight of one tick's time in the moving average. */
    private static final double ALPHA = 0.1;

    private final boolean adaptive;
    /** The interval now, in ticks. */
    private int ticks;
    /** Ticks left until the next look at the global queue (a countdown: no division per tick). */
    private int countdown;
    private double tickNanosEwma = (double) TARGET_NANOS / INITIAL;
    /** Start of the batch being measured ({@code System.nanoTime()}), or 0 when none. */
    private long batchStart;
    private int batchTicks;

    /** @param fixed a fixed interval, or 0 for an adaptive one */
    GlobalQueueInterval(int fixed) {
        this.adaptive = fixed == 0;
        this.ticks = adaptive ? INITIAL : fixed;
        this.countdown = ticks;
    }

    /**
     * Called once per tick: whether this tick looks at the global queue first. When it does, the
     * interval is re-derived from the average and the countdown restarts from it.
     */
    boolean due() {
        if (--countdown > 0) {
            return false;
        }
        tune();
        countdown = ticks;
        return true;
    }

    /** Starts measuring a batch of ticks that run tasks. */
    void startBatch() {
        if (adaptive) {
            batchStart = System.nanoTime();
            batchTicks = 0;
        }
    }

    /** One tick that ran a task (and its LIFO successors) in the current batch. */
    void countTick() {
        batchTicks++;
    }

    /** Ends the batch being measured, if any, folding its mean tick time into the average. */
    void endBatch() {
        if (batchStart == 0) {
            return;
        }
        if (batchTicks > 0) {
            double mean = (double) (System.nanoTime() - batchStart) / batchTicks;
            // Weigh the batch as batchTicks separate samples would be.
            double weight = 1 - Math.pow(1 - ALPHA, batchTicks);
            tickNanosEwma = weight * mean + (1 - weight) * tickNanosEwma;
        }
        batchStart = 0;
    }

    /** Re-derives the interval from the average. */
    private void tune() {
        if (!adaptive) {
            return;
        }
        double ewma = Math.max(1, tickNanosEwma);
        int next = (int) Math.max(MIN, Math.min(MAX, TARGET_NANOS / ewma));
        if (Math.abs(next - ticks) > 2) {
            ticks = next;
        }
    }
}
