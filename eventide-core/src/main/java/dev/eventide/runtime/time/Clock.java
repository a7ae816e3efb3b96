package dev.eventide.runtime.time;

import java.time.Instant;

/**
 * A runtime's clock: monotonic nanoseconds since the runtime was built, which may be paused
 * (virtual time, for tests) and then moves only when told to.
 *
 * <p>Running, it reads {@link System#nanoTime()} plus an offset; paused, it returns a frozen
 * value that {@link #advanceTo} moves forward. Writers (pause, resume, advance: rare) synchronize
 * on the clock; readers take one or two volatile loads, and see a consistent value because every
 * writer stores the value a reader will use before the flag that tells it to use that value.
 * The clock never goes backwards, paused or not.
 *
 * <p>{@link #base} anchors it to wall-clock time, so that {@code Time.now()} can return an
 * {@link Instant}: the instant of a clock reading is {@code base + nanos}.
 */
public final class Clock {
    private final long origin = System.nanoTime();
    /** The wall-clock instant of reading 0. */
    final Instant base = Instant.now();
    private volatile boolean paused;
    private volatile long frozen;
    private volatile long offset;

    Clock(boolean startPaused) {
        this.paused = startPaused;
    }

    /** Nanoseconds since the runtime was built, by this clock; any thread. */
    public long nanos() {
        if (paused) {
            return frozen;
        }
        return System.nanoTime() - origin + offset;
    }

    /** Whether the clock is paused (virtual time). */
    public boolean isPaused() {
        return paused;
    }

    /** Freezes the clock at its current reading; no effect if already paused. */
    synchronized void pause() {
        if (!paused) {
            frozen = nanos();
            paused = true;
        }
    }

    /** Lets the clock run again from where it stands; no effect if it is running. */
    synchronized void resume() {
        if (paused) {
            offset = frozen - (System.nanoTime() - origin);
            paused = false;
        }
    }

    /** As {@link #advanceTo}, but returns false instead of throwing if the clock is running. */
    synchronized boolean advanceIfPaused(long target) {
        if (!paused) {
            return false;
        }
        if (target > frozen) {
            frozen = target;
        }
        return true;
    }

    /**
     * Moves a paused clock forward to {@code target} (no effect if it already reads later).
     *
     * @throws IllegalStateException if the clock is running
     */
    synchronized void advanceTo(long target) {
        if (!paused) {
            throw new IllegalStateException("the runtime's clock is not paused: time can only be advanced by hand"
                    + " on a runtime built with startPaused(true), or after Time.pause()");
        }
        if (target > frozen) {
            frozen = target;
        }
    }
}
