package dev.eventide.runtime.io;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;

/**
 * A future of one operation on a {@link Registration}: remembers the waker it left in the
 * registration's slot, so {@link #cancel()} can take it out again (a cancelled read or accept
 * leaves nothing behind to be woken).
 *
 * @param <T> the operation's result
 */
public abstract class IoFuture<T> implements Future<T> {
    private final Registration registration;
    private final int direction;
    private Waker waiting;

    /** An operation on {@code registration} in {@code direction} ({@link Registration#READ} or WRITE). */
    protected IoFuture(Registration registration, int direction) {
        this.registration = registration;
        this.direction = direction;
    }

    /** One attempt: the result, or pending after {@link Registration#pollReady} stored the waker. */
    protected abstract Poll<T> attempt(Context cx);

    @Override
    public final Poll<T> poll(Context cx) {
        Poll<T> p = attempt(cx);
        waiting = p.isReady() ? null : cx.waker();
        return p;
    }

    @Override
    public void cancel() {
        Waker w = waiting;
        if (w != null) {
            waiting = null;
            registration.dropWaker(direction, w);
        }
    }
}
