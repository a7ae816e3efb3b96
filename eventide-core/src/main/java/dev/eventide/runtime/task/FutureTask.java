package dev.eventide.runtime.task;

import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.Scheduler;

/** A task whose body is a poll-based {@link Future}. */
public final class FutureTask<T> extends Task<T> {
    /** The future is the task's {@linkplain #body() body}, kept in its outcome's slot until it completes. */
    public FutureTask(Scheduler scheduler, Future<T> future) {
        super(scheduler, future);
    }

    @Override
    public String describe() {
        Object f = body();
        String what = isFinished() || f == null ? "(finished)" : f.getClass().getName();
        return "future " + what + "@" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    protected boolean step(ExecContext cx) {
        @SuppressWarnings("unchecked")
        Future<T> f = (Future<T>) body();
        if (isCancelRequested()) {
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
        completeWithValue(p.value());
        return true;
    }
}
