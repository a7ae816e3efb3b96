package dev.eventide.runtime.task;

import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.Scheduler;

/** A task whose body is a poll-based {@link Future}. */
public final class FutureTask<T> extends Task<T> {
    private Future<T> future;

    public FutureTask(Scheduler scheduler, Future<T> future) {
        super(scheduler);
        this.future = future;
    }

    @Override
    public String describe() {
        Future<T> f = future;
        return "future " + (f != null ? f.getClass().getName() : "(finished)") + "@"
                + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    protected boolean step(ExecContext cx) {
        Future<T> f = future;
        if (isCancelRequested()) {
            future = null;
            try {
                f.cancel();
            } finally {
                completeCancelled();
            }
            return true;
        }
        Poll<T> p = f.poll(this);
        if (p.isPending()) {
            return false;
        }
        future = null;
        completeWithValue(p.value());
        return true;
    }
}
