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
 * <h2>Quick to shorten, slow to lengthen</h2>
 * The average rises at tokio's rate ({@value #ALPHA_UP} per tick) but falls fifty times more
 * slowly ({@value #ALPHA_DOWN} per tick), and a batch that shortens the interval also shortens
 * the countdown in progress. With one rate both ways, a burst of cheap ticks (the very batch of
 * remote tasks the worker just took, each a few hundred nanoseconds, behind a chain of 10 µs
 * links) pulled the average down to a fraction of a microsecond and the interval up to
 * {@value #MAX}; the chain's next {@value #MAX} ticks then kept the global queue waiting 2–5 ms
 * instead of 50 µs (W3b: 3.5–5 ms per iteration, against 0.3–0.6 ms with a fixed interval of
 * 2). Falling slowly costs little: counted in ticks, it is fast in time when ticks are short (from
 * 40 µs ticks to 100 ns ones, the interval is back at {@value #MAX} after about 2,300 ticks, a
 * quarter of a millisecond), and looking at the global queue too often costs two reads of an
 * empty queue. Slower still hurt the opposite pattern: one long poll (a task spawning ten
 * thousand others, W1) kept the interval short for the ten thousand short ones, and each look
 * moved a few of the tasks the long poll had overflowed to the global queue back, under the lock.
 *
 * <p>The interval moves only when the new value differs by more than 2 (tokio's jitter
 * filter). A positive {@code globalQueueInterval} in the builder fixes the interval instead.
 * Owned by one core; not thread-safe.
 */
final class GlobalQueueInterval {
    /**
     * How long remote work should wait behind local work, at most. tokio's target is 200 µs for
     * a turn that takes one task; a turn here takes a fair share in one batch, and a look at an
     * empty global queue is two reads, so looking four times as often costs little and halves
     * the wait of tasks spawned from outside behind long polls (W3b: about 0.6 ms per iteration
     * with 200 µs, 0.4 ms with 50 µs, in the same run).
     */
    static final long TARGET_NANOS = 50_000;
    static final int MIN = 2;
    static final int MAX = 127;
    /** The starting interval (tokio's fixed default). */
    static final int INITIAL = 31;
    /** Weight of one tick's time in the moving average when ticks got longer (tokio's). */
    static final double ALPHA_UP = 0.1;
    /** Weight of one tick's time in the moving average when ticks got shorter. */
    static final double ALPHA_DOWN = 0.002;

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

    /** Makes the next tick look at the global queue first, whatever the interval says. */
    void dueNext() {
        countdown = 1;
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

    /**
     * Ends the batch being measured, if any, folding its mean tick time into the average; if the
     * interval shortens, the countdown in progress shortens with it.
     */
    void endBatch() {
        if (batchStart == 0) {
            return;
        }
        if (batchTicks > 0) {
            record(System.nanoTime() - batchStart, batchTicks);
        }
        batchStart = 0;
    }

    /** Folds a batch of {@code ticks} ticks that took {@code nanos} into the average. */
    void record(long nanos, int ticks) {
        double mean = (double) nanos / ticks;
        // Weigh the batch as that many separate samples would be.
        double alpha = mean > tickNanosEwma ? ALPHA_UP : ALPHA_DOWN;
        double weight = 1 - Math.pow(1 - alpha, ticks);
        tickNanosEwma = weight * mean + (1 - weight) * tickNanosEwma;
        tune();
        countdown = Math.min(countdown, this.ticks);
    }

    /** The interval now, in ticks. */
    int ticks() {
        return ticks;
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
