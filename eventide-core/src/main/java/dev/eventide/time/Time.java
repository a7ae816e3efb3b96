package dev.eventide.time;

import dev.eventide.Future;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.time.TimeDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Timers on the current runtime's clock: sleeps, timeouts, intervals, and control of the
 * virtual clock for tests (DESIGN §6).
 *
 * <pre>{@code
 * Eventide.run(() -> {
 *     Time.sleep(Duration.ofMillis(10)).await();
 *     String reply = Time.timeout(Duration.ofSeconds(1), request).await(); // or TimeoutExpiredException
 *     Interval every = Time.interval(Duration.ofSeconds(1));
 *     for (;;) {
 *         Instant due = every.tick().await();
 *         ...
 *     }
 * });
 * }</pre>
 *
 * <h2>The clock</h2>
 * Each runtime has its own monotonic clock, read by {@link #now()}, with a 1 ms timer
 * resolution: timers never fire early and usually within a millisecond of their deadline. A
 * runtime built with {@code startPaused(true)} starts with its clock <em>paused</em>: time then
 * moves only by {@link #advance}, or by itself when the runtime is idle (every task is waiting
 * and no blocking job runs) and a timer is pending, in which case the clock jumps straight to
 * that timer's deadline. A test of a one-hour timeout then takes milliseconds. Auto-advance
 * works on the current-thread runtime and on the work-stealing multi-thread runtime (whose
 * workers must all be parked); a thread-per-core runtime moves a paused clock only by
 * {@code advance}.
 *
 * <h2>Which runtime</h2>
 * Every method but {@link #now()} must be called on a thread that drives a runtime (inside an
 * async block, or a poll on a worker): the timer belongs to that runtime and follows its
 * clock. Once made, a timer can be awaited anywhere, including on a thread outside the runtime.
 * A deadline in the past, or a zero or negative duration, completes at the first poll; deadlines
 * years away work. Null arguments throw {@link NullPointerException} naming the argument.
 */
public final class Time {
    private Time() {
    }

    private static TimeDriver driver(String what) {
        ExecContext cx = ExecContext.current();
        if (cx == null) {
            throw new IllegalStateException(what + " was called on a thread that drives no runtime. A timer"
                    + " belongs to a runtime and follows its clock: create it inside an async block"
                    + " (Eventide.run, blockOn, spawn) or in a poll on a runtime's worker; once created it"
                    + " can be awaited from any thread.");
        }
        return cx.scheduler.driver.time();
    }

    /**
     * A future that completes {@code duration} from now on the runtime's clock.
     *
     * @param duration how long to sleep; zero or negative completes at the first poll
     * @return the sleep, to be awaited
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static Sleep sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        TimeDriver t = driver("Time.sleep");
        return new Sleep(t, TimeDriver.tickOf(t.nanosAfter(duration)));
    }

    /**
     * A future that completes at {@code deadline} on the runtime's clock (see {@link #now()}).
     *
     * @param deadline when to wake; a past instant completes at the first poll
     * @return the sleep, to be awaited
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static Sleep sleepUntil(Instant deadline) {
        Objects.requireNonNull(deadline, "deadline");
        TimeDriver t = driver("Time.sleepUntil");
        return new Sleep(t, TimeDriver.tickOf(t.nanosAt(deadline)));
    }

    /**
     * {@code future}, limited to {@code duration}: the returned future completes with
     * {@code future}'s value, or, if {@code duration} passes first, cancels {@code future} and
     * fails with {@link TimeoutExpiredException}. See {@link Timeout}.
     *
     * @param <T> the value type
     * @param duration how long {@code future} may take
     * @param future the operation to limit
     * @return the limited future, to be awaited
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static <T> Timeout<T> timeout(Duration duration, Future<T> future) {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(future, "future");
        TimeDriver t = driver("Time.timeout");
        return new Timeout<>(t, TimeDriver.tickOf(t.nanosAfter(duration)), future, duration);
    }

    /**
     * As {@link #timeout}, with a deadline instead of a duration.
     *
     * @param <T> the value type
     * @param deadline when {@code future} must have completed
     * @param future the operation to limit
     * @return the limited future, to be awaited
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static <T> Timeout<T> timeoutAt(Instant deadline, Future<T> future) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(future, "future");
        TimeDriver t = driver("Time.timeoutAt");
        return new Timeout<>(t, TimeDriver.tickOf(t.nanosAt(deadline)), future, null);
    }

    /**
     * An interval whose first tick is due at once and the following ones every {@code period}.
     *
     * @param period the time between ticks
     * @return the interval
     * @throws NullPointerException if {@code period} is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static Interval interval(Duration period) {
        Objects.requireNonNull(period, "period");
        TimeDriver t = driver("Time.interval");
        return new Interval(t, t.clock().nanos(), periodNanos(period));
    }

    /**
     * An interval whose first tick is due at {@code start} and the following ones every
     * {@code period}.
     *
     * @param start when the first tick is due
     * @param period the time between ticks
     * @return the interval
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code period} is zero or negative
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static Interval intervalAt(Instant start, Duration period) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(period, "period");
        TimeDriver t = driver("Time.intervalAt");
        return new Interval(t, t.nanosAt(start), periodNanos(period));
    }

    private static long periodNanos(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        return TimeDriver.nanosOf(period);
    }

    /**
     * The current instant on the calling runtime's clock: monotonic, and virtual when the clock
     * is paused. Its origin is the wall-clock time at which the runtime was built. On a thread
     * that drives no runtime, the system clock ({@link Instant#now()}).
     *
     * @return the current instant
     */
    public static Instant now() {
        ExecContext cx = ExecContext.current();
        if (cx == null) {
            return Instant.now();
        }
        TimeDriver t = cx.scheduler.driver.time();
        return t.instantOf(t.clock().nanos());
    }

    /**
     * Moves the runtime's paused clock forward by {@code duration}. The returned future makes the
     * move when first polled and completes once every timer due by the new time has fired (its
     * task has been woken); await it.
     *
     * @param duration how far to move the clock
     * @return the future that moves the clock, to be awaited
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if the calling thread drives no runtime, or its clock is not
     *     paused
     */
    public static Future<Void> advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + duration);
        }
        TimeDriver t = driver("Time.advance");
        if (!t.clock().isPaused()) {
            throw new IllegalStateException("Time.advance needs a paused clock: build the runtime with"
                    + " startPaused(true), or call Time.pause() first");
        }
        return new Advance(t, TimeDriver.nanosOf(duration));
    }

    /**
     * Pauses the runtime's clock: from now on it moves only by {@link #advance}, or by itself
     * when the runtime is idle (see the class documentation). No effect if already paused.
     *
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static void pause() {
        driver("Time.pause").pause();
    }

    /**
     * Lets the runtime's paused clock run again in real time, from its current reading. No
     * effect if it is running.
     *
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static void resume() {
        driver("Time.resume").resume();
    }

    /**
     * Whether the runtime's clock is paused.
     *
     * @return true if time moves only by {@link #advance} and auto-advance
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static boolean isPaused() {
        return driver("Time.isPaused").clock().isPaused();
    }
}
