package dev.eventide.runtime;

import dev.eventide.Context;
import dev.eventide.runtime.task.Task;

/**
 * Cooperative scheduling budget (DESIGN §4): each task poll may complete at most
 * {@link #BUDGET} operations on runtime primitives. Once the budget is spent, a primitive that
 * could complete returns pending instead, after waking the task, so the task goes to the back of
 * its worker's queue and one busy task (a receiver whose channel is never empty) cannot starve
 * the others.
 *
 * <p>Every primitive calls {@link #proceed(Context)} before completing an operation. The budget
 * lives in the task being polled, which is the context: no thread lookup on this hot path.
 * Futures polled by anything else (a thread blocked in {@code await}) have no budget.
 */
public final class Coop {
    /** Operations per task poll; tokio's figure. */
    public static final int BUDGET = 128;

    private Coop() {
    }

    /**
     * Consumes one unit of budget and returns true; or, if the budget is spent, wakes
     * {@code cx}'s waker and returns false, and the caller must return pending.
     */
    public static boolean proceed(Context cx) {
        if (cx instanceof Task<?> task && !task.consumeBudget()) {
            task.yieldSelf(); // behind the ready work, like a yield
            return false;
        }
        return true;
    }

    /** Whether a poll with context {@code cx} still has budget (without consuming any). */
    public static boolean hasBudget(Context cx) {
        return !(cx instanceof Task<?> task) || task.hasBudget();
    }
}
