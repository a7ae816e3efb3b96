package dev.eventide.time;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.time.TimeDriver;
import dev.eventide.runtime.time.TimerEntry;
import java.time.Duration;

/**
 * A future that completes with its inner future's value, or fails with
 * {@link TimeoutExpiredException} if the deadline passes first; made by {@link Time#timeout}
 * and {@link Time#timeoutAt}.
 *
 * <p>Each poll polls the inner future first, so an inner future that is ready when the deadline
 * passes still wins. When the deadline passes, the inner future is cancelled (its
 * {@link Future#cancel()} is called once) and the poll throws. The timer is this object itself,
 * registered on the first poll: a timeout costs one allocation.
 *
 * <p><b>Cancellation safety:</b> cancelling the timeout cancels the inner future and the timer;
 * what is lost is what the inner future documents it loses.
 *
 * @param <T> the inner future's value type
 */
public final class Timeout<T> extends TimerEntry implements Future<T> {
    private final Future<T> inner;
    private final Duration timeout;
    private boolean finished;

    Timeout(TimeDriver driver, long deadlineTick, Future<T> inner, Duration timeout) {
        super(driver, deadlineTick);
        this.inner = inner;
        this.timeout = timeout;
    }

    /**
     * {@inheritDoc}
     *
     * @throws TimeoutExpiredException if the deadline passed before the inner future completed
     */
    @Override
    public Poll<T> poll(Context cx) {
        if (finished) {
            throw new IllegalStateException("a completed timeout was polled again");
        }
        Poll<T> p;
        try {
            p = inner.poll(cx);
        } catch (Throwable e) {
            finished = true;
            cancelTimer();
            throw e;
        }
        if (p.isReady()) {
            finished = true;
            cancelTimer();
            return p;
        }
        boolean fired;
        try {
            fired = pollFired(cx.waker());
        } catch (IllegalStateException runtimeShutDown) {
            finished = true;
            inner.cancel();
            throw runtimeShutDown;
        }
        if (fired) {
            finished = true;
            inner.cancel();
            throw new TimeoutExpiredException(timeout);
        }
        return Poll.pending();
    }

    /** Abandons the timeout: cancels the inner future and the timer. */
    @Override
    public void cancel() {
        if (!finished) {
            finished = true;
            cancelTimer();
            inner.cancel();
        }
    }

    @Override
    public String toString() {
        return "Timeout[" + (timeout != null ? timeout : "until " + driver.instantOfTick(deadlineTick())) + "]";
    }
}
