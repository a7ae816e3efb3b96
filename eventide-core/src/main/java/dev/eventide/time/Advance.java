package dev.eventide.time;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.time.TimeDriver;
import dev.eventide.runtime.time.TimerEntry;

/**
 * The future of {@link Time#advance}: on its first poll it moves the paused clock forward, then
 * registers itself as a timer due at the new time, forced into the wheel even though that time
 * has been reached, so it fires in the same pass as (and after the collection of) every timer
 * due by then. Cancelling it after the first poll leaves the clock advanced.
 */
final class Advance extends TimerEntry implements Future<Void> {
    private final long nanos;
    private boolean started;

    Advance(TimeDriver driver, long nanos) {
        super(driver, 0);
        this.nanos = nanos;
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (!started) {
            started = true;
            driver.advance(nanos);
            rearm(driver.nowTick());
            registerForced(cx.waker());
            return hasFired() ? Poll.ready(null) : Poll.pending();
        }
        return pollFired(cx.waker()) ? Poll.ready(null) : Poll.pending();
    }

    @Override
    public void cancel() {
        cancelTimer();
    }
}
