package dev.eventide.runtime.blocking;

import dev.eventide.runtime.task.Completion;
import java.util.concurrent.Callable;

/**
 * A job of the blocking pool, joinable like any task. Aborting it before a thread picks it up
 * cancels it; once it has started it runs to completion (a blocking call cannot be preempted;
 * interrupting it is the pool's last resort at shutdown). A {@linkplain #mandatory mandatory}
 * job is not cancelled by the pool's shutdown, only by its own abort.
 */
final class BlockingTask<T> extends Completion<T> {
    /** Runs even if the pool shuts down before a thread takes it. */
    final boolean mandatory;

    BlockingTask(Callable<T> body, boolean mandatory) {
        super(0, body);
        this.mandatory = mandatory;
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
        @SuppressWarnings("unchecked")
        Callable<T> b = (Callable<T>) body();
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
                completeCancelled(); // drops the body: the outcome takes its slot
                return;
            }
        }
    }
}
