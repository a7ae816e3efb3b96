package dev.eventide.runtime;

import dev.eventide.Context;

/**
 * Cooperative scheduling budget (DESIGN §4): each task poll may complete at most
 * {@link #BUDGET} operations on runtime primitives. Once the budget is spent, a primitive that
 * could complete returns pending instead, after waking the task, so the task goes to the back of
 * its worker's queue and one busy task (a receiver whose channel is never empty) cannot starve
 * the others.
 *
 * <p>Every primitive calls {@link #proceed(Context)} before completing an operation. Threads that
 * drive no runtime have no budget.
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
        ExecContext ec = ExecContext.current();
        if (ec == null || ec.current == null) {
            return true;
        }
        if (ec.budget > 0) {
            ec.budget--;
            return true;
        }
        cx.waker().wake();
        return false;
    }

    /** Whether the current poll still has budget (without consuming any). */
    public static boolean hasBudget() {
        ExecContext ec = ExecContext.current();
        return ec == null || ec.current == null || ec.budget > 0;
    }
}
