package dev.eventide.time;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.Coop;
import dev.eventide.runtime.time.TimeDriver;
import dev.eventide.runtime.time.TimerEntry;
import java.time.Instant;

/**
 * A future that completes once the runtime's clock reaches its deadline; made by
 * {@link Time#sleep} and {@link Time#sleepUntil}.
 *
 * <p>The deadline is fixed when the sleep is created, rounded up to the timer wheel's 1 ms
 * resolution, so a sleep never completes early; it may complete late by up to about a
 * millisecond plus however long its task waits for a worker. The sleep registers itself with the
 * runtime's timer wheel when first polled (a deadline already reached completes at once,
 * without registering); the sleep object is the wheel's entry, so a sleep costs one allocation.
 * It may be polled from any thread, including one outside the runtime (a blocking
 * {@code await()}), and fires as long as its runtime runs (a current-thread runtime runs only
 * while a thread is inside its {@code blockOn}). If the runtime shuts down first, the sleep's
 * next poll throws {@link IllegalStateException}: its clock will never reach the deadline.
 *
 * <p><b>Cancellation safety:</b> cancelling a sleep loses nothing but the wait. It leaves the
 * wheel at once, so the memory of an abandoned sleep is reclaimable as soon as its owner drops
 * it, not when its deadline would have passed.
 */
public final class Sleep extends TimerEntry implements Future<Void> {

    Sleep(TimeDriver driver, long deadlineTick) {
        super(driver, deadlineTick);
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (pollFired(cx.waker()) && Coop.proceed(cx)) {
            return Poll.ready(null);
        }
        return Poll.pending();
    }

    /** Interval only: a fired sleep waits again, until {@code tick}. */
    void rearmAt(long tick) {
        rearm(tick);
    }

    /** Abandons the sleep: it leaves the timer wheel and will not wake anybody. */
    @Override
    public void cancel() {
        cancelTimer();
    }

    /**
     * The instant at which the sleep completes, on the runtime's clock (whole milliseconds).
     *
     * @return the deadline
     */
    public Instant deadline() {
        return driver.instantOfTick(deadlineTick());
    }

    /**
     * Whether the deadline has been reached and the sleep fired (its next poll is ready).
     *
     * @return true once the sleep fired
     */
    public boolean isElapsed() {
        return hasFired();
    }

    @Override
    public String toString() {
        return "Sleep[until " + deadline() + (hasFired() ? ", elapsed]" : "]");
    }
}
