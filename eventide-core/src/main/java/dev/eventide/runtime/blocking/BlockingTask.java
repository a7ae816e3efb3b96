package dev.eventide.runtime.blocking;

import dev.eventide.runtime.task.Completion;
import java.util.concurrent.Callable;

/**
 * A job of the blocking pool, joinable like any task. Aborting it before a thread picks it up
 * cancels it; once it has started it runs to completion (a blocking call cannot be preempted;
 * interrupting it is the pool's last resort at shutdown).
 */
final class BlockingTask<T> extends Completion<T> {
    private Callable<T> body;

    BlockingTask(Callable<T> body) {
        super(0);
        this.body = body;
    }

    /** Claims the task for a pool thread; false if it was cancelled first. */
    boolean start() {
        for (;;) {
            int s = lvState();
            if ((s & (CANCELLED | COMPLETE | RUNNING)) != 0) {
                return false;
            }
            if (casState(s, s | RUNNING)) {
                return true;
            }
        }
    }

    /**
     * Runs the body; returns the action that publishes its outcome (and wakes joiners), which
     * the pool runs once it has counted this thread as about to be free again.
     */
    Runnable compute() {
        Callable<T> b = body;
        body = null;
        try {
            T value = b.call();
            return () -> completeWithValue(value);
        } catch (Throwable t) {
            return () -> completeWithFailure(t);
        }
    }

    @Override
    public void abort() {
        for (;;) {
            int s = lvState();
            if ((s & (CANCELLED | COMPLETE)) != 0) {
                return;
            }
            if ((s & RUNNING) != 0) {
                return; // started: it runs to completion
            }
            if (casState(s, s | CANCELLED)) {
                body = null;
                completeCancelled();
                return;
            }
        }
    }
}
