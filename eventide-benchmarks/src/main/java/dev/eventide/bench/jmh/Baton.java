package dev.eventide.bench.jmh;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The least a task can wait on: a reusable signal between one signaller and one waiter, so that
 * a wake benchmark measures the task's wake and poll, not a channel. Awaiting it consumes the
 * signal; {@link #signal()} wakes the waiter if it is parked. Allocates nothing per use.
 *
 * <p>The waiter stores its waker, then re-reads the flag; the signaller sets the flag, then takes
 * the waker: both sides are volatile, so one of them sees the other and no wake-up is lost.
 * Not cancellation safe beyond what the benchmarks need: {@link #cancel()} withdraws the waker.
 */
final class Baton implements Future<Void> {
    private volatile boolean signalled;
    private final AtomicReference<Waker> waiter = new AtomicReference<>();

    @Override
    public Poll<Void> poll(Context cx) {
        if (signalled) {
            signalled = false;
            return Poll.ready(null);
        }
        waiter.set(cx.waker());
        if (signalled) {
            waiter.set(null);
            signalled = false;
            return Poll.ready(null);
        }
        return Poll.pending();
    }

    /** Sets the signal and wakes the waiter, if one is parked. */
    void signal() {
        signalled = true;
        Waker w = waiter.getAndSet(null);
        if (w != null) {
            w.wake();
        }
    }

    @Override
    public void cancel() {
        waiter.set(null);
    }
}
