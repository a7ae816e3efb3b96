package dev.eventide.time;

/**
 * What an {@link Interval} does when ticks were missed: when {@link Interval#tick()} is awaited
 * more than 5 ms after a tick was due (the task was busy, or the runtime stalled). Examples are
 * for a 10 ms period, ticks due at 0, 10, 20, ..., and a tick at 10 collected only at 35.
 */
public enum MissedTickBehavior {
    /**
     * Catch up: the missed ticks complete at once, one per {@code tick()}, then the schedule
     * resumes where it was (ticks at 10, 20, 30 at once, then 40, 50, ...). The default, as in
     * tokio; right when every tick must be counted.
     */
    BURST,
    /**
     * Start over from now: the next tick is one period after the late one was collected (ticks
     * at 10 (late, at 35), then 45, 55, ...). Right when ticks must be at least a period apart.
     */
    DELAY,
    /**
     * Drop the missed ticks: the next tick is the next one of the original schedule still in
     * the future (ticks at 10 (late, at 35), then 40, 50, ...). Right when ticks must stay on
     * the original grid.
     */
    SKIP
}
