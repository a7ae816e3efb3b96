package dev.eventide.time;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.runtime.time.TimeDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Ticks at a fixed period on the runtime's clock; made by {@link Time#interval} and
 * {@link Time#intervalAt}. The first tick is due at the start instant ({@code interval}: at
 * once), then one every period. {@link #tick()} completes when the next tick is due, with the
 * instant it was <em>due</em> (not the instant it was collected).
 *
 * <p>A tick collected more than 5 ms late counts as missed, and the {@link MissedTickBehavior}
 * (default {@link MissedTickBehavior#BURST BURST}) decides when the following ticks are due. A
 * tick collected on time keeps the schedule exact: a late wake-up never makes later ticks
 * drift.
 *
 * <p>An interval belongs to one task at a time: it is not thread-safe. It reuses one timer for
 * all its ticks, so ticking allocates nothing but the {@link Instant} it returns.
 *
 * <p><b>Cancellation safety:</b> {@code tick()} is cancel-safe: cancelling a pending tick loses
 * nothing; the next {@code tick()} completes at the same due instant.
 */
public final class Interval {
    /** A tick this much later than due counts as missed (tokio's figure). */
    private static final long MISSED_SLACK_NANOS = 5 * TimeDriver.NANOS_PER_TICK;

    private final TimeDriver driver;
    private final long period;
    private MissedTickBehavior behavior = MissedTickBehavior.BURST;
    /** Clock reading at which the next tick is due. */
    private long next;
    /** The timer for {@code next}; null after a cancelled tick, until the next poll. */
    private Sleep sleep;
    private final Future<Instant> tick = new Future<>() {
        @Override
        public Poll<Instant> poll(Context cx) {
            return pollTick(cx);
        }

        @Override
        public void cancel() {
            cancelPendingTick();
        }
    };

    Interval(TimeDriver driver, long startNanos, long periodNanos) {
        this.driver = driver;
        this.next = startNanos;
        this.period = periodNanos;
    }

    /**
     * A future that completes when the next tick is due, with its due instant. The same future
     * object is returned each time; await it, or poll it with {@link #pollTick}.
     *
     * @return the future of the next tick
     */
    public Future<Instant> tick() {
        return tick;
    }

    /**
     * Polls for the next tick: ready with its due instant, or pending (and {@code cx}'s waker
     * will be woken when it is due). For poll-based futures that hold an interval.
     *
     * @param cx the context of the polling task
     * @return the due instant of the tick, or pending
     */
    public Poll<Instant> pollTick(Context cx) {
        if (sleep == null) {
            sleep = new Sleep(driver, TimeDriver.tickOf(next));
        }
        if (sleep.poll(cx).isPending()) {
            return Poll.pending();
        }
        long due = next;
        long now = driver.clock().nanos();
        long following;
        if (now > TimeDriver.saturatingAdd(due, MISSED_SLACK_NANOS)) {
            following = switch (behavior) {
                case BURST -> TimeDriver.saturatingAdd(due, period);
                case DELAY -> TimeDriver.saturatingAdd(now, period);
                case SKIP -> TimeDriver.saturatingAdd(now, period - (now - due) % period);
            };
        } else {
            following = TimeDriver.saturatingAdd(due, period);
        }
        next = following;
        sleep.rearmAt(TimeDriver.tickOf(following));
        return Poll.ready(driver.instantOf(due));
    }

    private void cancelPendingTick() {
        if (sleep != null && !sleep.isElapsed()) {
            sleep.cancel();
            sleep = null;
        }
    }

    /** Restarts the schedule: the next tick is due one period from now. */
    public void reset() {
        next = TimeDriver.saturatingAdd(driver.clock().nanos(), period);
        if (sleep != null) {
            if (sleep.isElapsed()) {
                sleep.rearmAt(TimeDriver.tickOf(next));
            } else {
                sleep.cancel();
                sleep = null;
            }
        }
    }

    /**
     * The period between ticks.
     *
     * @return the period
     */
    public Duration period() {
        return Duration.ofNanos(period);
    }

    /**
     * What happens when ticks are missed; {@link MissedTickBehavior#BURST} unless set.
     *
     * @return the behaviour
     */
    public MissedTickBehavior missedTickBehavior() {
        return behavior;
    }

    /**
     * Sets what happens when ticks are missed, from the next tick on.
     *
     * @param behavior the behaviour
     * @return this interval
     */
    public Interval setMissedTickBehavior(MissedTickBehavior behavior) {
        this.behavior = Objects.requireNonNull(behavior, "behavior");
        return this;
    }

    @Override
    public String toString() {
        return "Interval[every " + period() + ", next due " + driver.instantOf(next) + ", " + behavior + "]";
    }
}
