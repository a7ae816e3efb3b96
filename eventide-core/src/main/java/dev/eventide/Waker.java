package dev.eventide;

/**
 * A handle that tells an executor a task can make progress: the future that returned
 * {@link Poll#pending()} keeps the waker of the context it was polled with, and calls
 * {@link #wake()} when polling again may succeed.
 *
 * <p>Waking is idempotent and may be done from any thread, any number of times; a wake that
 * races with the task's own poll is never lost (the task is polled again). Wakers are compared
 * by identity: a future that already holds the same waker need not store it again. A task is
 * its own waker, so waking allocates nothing.
 */
@FunctionalInterface
public interface Waker {
    /** Schedules the task this waker belongs to for another poll. */
    void wake();

    /** A waker that does nothing; useful in tests and for futures polled only once. */
    static Waker noop() {
        return NoopWaker.INSTANCE;
    }
}

enum NoopWaker implements Waker {
    INSTANCE;

    @Override
    public void wake() {
    }
}
