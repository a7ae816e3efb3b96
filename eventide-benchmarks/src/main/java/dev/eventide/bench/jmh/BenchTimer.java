package dev.eventide.bench.jmh;

import dev.eventide.Waker;
import dev.eventide.runtime.time.TimeDriver;
import dev.eventide.runtime.time.TimerEntry;

/**
 * A bare timer for {@link TimerBench}: a {@link TimerEntry} (public, abstract, in the core's
 * internal time package) with its two protected operations opened up. It is what {@code Sleep}
 * is without the {@code Future} around it, so the benchmark measures the wheel's protocol and
 * nothing else.
 */
final class BenchTimer extends TimerEntry {
    BenchTimer(TimeDriver driver, long deadlineTick) {
        super(driver, deadlineTick);
    }

    /** Registers the timer (it enters the wheel) unless its deadline has passed; returns whether it has. */
    boolean arm(Waker waker) {
        return pollFired(waker);
    }

    /** Cancels the timer (it leaves the wheel). */
    void disarm() {
        cancelTimer();
    }
}
