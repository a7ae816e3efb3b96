package dev.eventide.runtime.time;

import dev.eventide.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A runtime's timers: its {@link Clock}, its {@link Wheel}, and the protocol by which any thread
 * registers and cancels timers while one worker at a time (the holder of the runtime's
 * {@code Driver}) fires them.
 *
 * <h2>Registering and cancelling: try-lock and delegate</h2>
 * The wheel is guarded by a try-lock that nobody ever waits for, except briefly the driver
 * holder. A thread that registers or cancels a timer pushes the entry onto an intrusive,
 * lock-free inbox (a Treiber stack, one CAS), then tries to take the wheel lock: if it gets it,
 * it applies every pending operation of the inbox (O(1) each: link or unlink) and releases the
 * lock; if it does not, whoever holds the lock applies them before releasing it. Every thread
 * that releases the lock looks at the inbox once more, and pushes happen before the pusher's
 * try-lock, so no operation is stranded. Insert and cancel are thus O(1), take no lock anybody
 * waits for, and a cancelled entry leaves the wheel as soon as the current holder is done (in
 * practice at once), so its memory is free as soon as its owner drops it.
 *
 * <h2>Firing</h2>
 * Only the worker holding the runtime's driver fires timers ({@link #fireExpired}): under the
 * wheel lock it advances the wheel to the clock's current tick, marks each expired entry FIRED
 * and collects its waker; it releases the lock and then wakes them, so no lock is held while
 * waking.
 *
 * <h2>Parking</h2>
 * Before the holder blocks in {@code select}, {@link #beforePark} computes the next deadline
 * and records it in {@code parkedUntil} under the wheel lock; a timer registered later with an
 * earlier deadline sees it and wakes the selector. On a paused clock (virtual time) nothing is
 * waited for: if the runtime is idle (the scheduler's probe says no task can run and no blocking
 * job is in flight), the clock jumps to the next deadline instead, unless a timer was registered
 * or cancelled since the holder read it (then it looks again); otherwise the holder checks again
 * every millisecond of real time.
 */
public final class TimeDriver {
    /** Nanoseconds per tick: the wheel's resolution is one millisecond. */
    public static final long NANOS_PER_TICK = 1_000_000L;
    /** Deadlines are capped here (hundreds of millions of years), far from overflow. */
    private static final long MAX_TICK = Long.MAX_VALUE >>> 4;
    private static final long PAUSED_POLL_NANOS = NANOS_PER_TICK;
    private static final int WAKE_BUFFER_KEEP = 1024;

    private static final VarHandle LOCKED;
    private static final VarHandle INBOX;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCKED = l.findVarHandle(TimeDriver.class, "locked", int.class);
            INBOX = l.findVarHandle(TimeDriver.class, "inbox", TimerEntry.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Clock clock;
    private final Wheel wheel = new Wheel();
    private final Runnable wakeSelector;
    private volatile int locked;
    private volatile TimerEntry inbox;
    /** Tick the parked holder sleeps until ({@code MAX}: no timers); {@code MIN}: nobody parked. */
    private volatile long parkedUntil = Long.MIN_VALUE;
    /** No firing is needed before this tick (a lower bound kept under the lock). */
    private volatile long nextExpiration = Long.MAX_VALUE;
    /** Set (under the wheel lock) when the runtime shuts down: registrations then fail. */
    private boolean shutDown;
    // driver holder only
    private Waker[] toWake = new Waker[64];
    private int toWakeCount;

    /**
     * @param startPaused  whether the clock starts paused (virtual time)
     * @param wakeSelector makes the parked holder's {@code select} return
     */
    public TimeDriver(boolean startPaused, Runnable wakeSelector) {
        this.clock = new Clock(startPaused);
        this.wakeSelector = wakeSelector;
    }

    /** This runtime's clock. */
    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ conversions

    /** The current tick, rounded down: a timer due at tick {@code t} may fire once this is {@code >= t}. */
    public long nowTick() {
        return clock.nanos() / NANOS_PER_TICK;
    }

    /** The tick of a deadline {@code nanos} into the clock, rounded up (never early), saturating. */
    public static long tickOf(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long tick = nanos / NANOS_PER_TICK + (nanos % NANOS_PER_TICK == 0 ? 0 : 1);
        return Math.min(tick, MAX_TICK);
    }

    private static long nanosOfTick(long tick) {
        return tick > Long.MAX_VALUE / NANOS_PER_TICK ? Long.MAX_VALUE : tick * NANOS_PER_TICK;
    }

    /** The clock reading {@code d} from now, saturating instead of overflowing. */
    public long nanosAfter(Duration d) {
        return saturatingAdd(clock.nanos(), saturatingNanos(d));
    }

    /** The clock reading of {@code instant} (see {@link #instantOf}), saturating. */
    public long nanosAt(Instant instant) {
        return saturatingNanos(Duration.between(clock.base, instant));
    }

    /** The instant of clock reading {@code nanos}. */
    public Instant instantOf(long nanos) {
        return clock.base.plusNanos(nanos);
    }

    /** The instant of tick {@code tick}. */
    public Instant instantOfTick(long tick) {
        return clock.base.plusMillis(tick);
    }

    /** {@code d} in nanoseconds, saturating instead of overflowing. */
    public static long nanosOf(Duration d) {
        return saturatingNanos(d);
    }

    private static long saturatingNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    /** {@code a + b}, saturating at the bounds of {@code long} instead of overflowing. */
    public static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    // ------------------------------------------------------------------ virtual time

    /** Moves a paused clock forward by {@code nanos} and lets the driver fire what became due. */
    public void advance(long nanos) {
        clock.advanceTo(saturatingAdd(clock.nanos(), nanos));
        wakeSelector.run();
    }

    /** Pauses the clock (virtual time from now on). */
    public void pause() {
        clock.pause();
        wakeSelector.run();
    }

    /** Lets a paused clock run again, from its current reading. */
    public void resume() {
        clock.resume();
        wakeSelector.run();
    }

    // ------------------------------------------------------------------ register and cancel

    /** Any thread: applies a registration (entry QUEUED) or a removal (entry CANCELLED). */
    void submit(TimerEntry e) {
        for (;;) {
            TimerEntry head = inbox;
            e.nextOp = head;
            if (INBOX.compareAndSet(this, head, e)) {
                break;
            }
        }
        combine();
    }

    private boolean tryLock() {
        return locked == 0 && LOCKED.compareAndSet(this, 0, 1);
    }

    private void lock() {
        while (!tryLock()) {
            Thread.onSpinWait();
        }
    }

    private void combine() {
        combine(false);
    }

    /**
     * Applies the inbox if the wheel lock is free, looking again after each release (see the
     * class doc), then wakes the parked holder if an earlier deadline arrived.
     */
    private void combine(boolean wake) {
        while (inbox != null && tryLock()) {
            try {
                wake |= drainLocked();
            } finally {
                locked = 0;
            }
        }
        if (wake) {
            wakeSelector.run();
        }
    }

    /** Under the lock: applies the inbox; returns whether the parked holder must wake up. */
    private boolean drainLocked() {
        TimerEntry e = (TimerEntry) INBOX.getAndSet(this, null);
        boolean wake = false;
        while (e != null) {
            TimerEntry n = e.nextOp;
            e.nextOp = null; // before any CAS below lets another thread push e again
            int s = e.lvState();
            if (s == TimerEntry.QUEUED) {
                long d = e.deadline;
                if (shutDown) {
                    if (e.casState(TimerEntry.QUEUED, TimerEntry.SHUT_DOWN)) {
                        Waker w = e.waker;
                        if (w != null) {
                            w.wake(); // rare: a timer registered after shutdown learns it at once
                        }
                    }
                } else if (d <= wheel.elapsed) {
                    // Only a forced registration (Time.advance) is due already: everything due
                    // by then has fired, so it fires now. Rare, hence woken under the lock.
                    if (e.casState(TimerEntry.QUEUED, TimerEntry.FIRED)) {
                        Waker w = e.waker;
                        if (w != null) {
                            w.wake();
                        }
                    }
                } else if (e.casState(TimerEntry.QUEUED, TimerEntry.REGISTERED)) {
                    wheel.insert(e);
                    if (d < nextExpiration) {
                        nextExpiration = d;
                    }
                    if (d < parkedUntil) {
                        wake = true;
                    }
                }
            } else if (s == TimerEntry.CANCELLED && e.slot >= 0) {
                wheel.remove(e);
            }
            e = n;
        }
        return wake;
    }

    // ------------------------------------------------------------------ driver holder

    /** Wheel holder: called by {@link Wheel#poll} for each expired entry. */
    void expired(TimerEntry e) {
        if (e.casState(TimerEntry.REGISTERED, TimerEntry.FIRED)) {
            Waker w = e.waker;
            if (w != null) {
                if (toWakeCount == toWake.length) {
                    toWake = Arrays.copyOf(toWake, toWakeCount * 2);
                }
                toWake[toWakeCount++] = w;
            }
        }
    }

    /**
     * Driver holder only: fires every timer due by the clock's current reading and wakes their
     * tasks. Cheap when nothing is due (two volatile reads and the clock), as busy workers call
     * it every {@code eventInterval} ticks.
     */
    public void fireExpired() {
        long now = nowTick();
        if (now < nextExpiration && inbox == null) {
            return;
        }
        lock();
        boolean wake;
        try {
            wake = drainLocked();
            wheel.poll(now, this);
            nextExpiration = wheel.nextExpiration();
        } finally {
            locked = 0;
        }
        combine(wake);
        Waker[] ws = toWake;
        int n = toWakeCount;
        toWakeCount = 0;
        for (int i = 0; i < n; i++) {
            Waker w = ws[i];
            ws[i] = null;
            w.wake();
        }
        if (ws.length > WAKE_BUFFER_KEEP) {
            toWake = new Waker[64];
        }
    }

    /**
     * Driver holder only, before blocking: returns how long it may block (nanoseconds; negative
     * for no limit), which is {@code timeoutNanos} capped by the next deadline. On a paused clock
     * with timers pending, jumps the clock to the next deadline and returns 0 if {@code idle}
     * says the runtime is idle and no timer was registered or cancelled meanwhile. Must be
     * followed by {@link #afterPark}.
     */
    public long beforePark(long timeoutNanos, BooleanSupplier idle) {
        long next;
        boolean paused = clock.isPaused();
        lock();
        boolean wake;
        try {
            wake = drainLocked();
            next = wheel.nextExpiration();
            nextExpiration = next;
            // Paused: virtual time does not pass while we block, so the deadline is no timeout;
            // but any new timer wakes us to reconsider (an idle runtime jumps to it).
            parkedUntil = paused ? Long.MAX_VALUE : next;
        } finally {
            locked = 0;
        }
        combine(wake);
        if (next == Long.MAX_VALUE) {
            return timeoutNanos;
        }
        if (paused) {
            if (idle.getAsBoolean() && jumpIfUnchanged(next)) {
                return 0;
            }
            return timeoutNanos < 0 ? PAUSED_POLL_NANOS : Math.min(timeoutNanos, PAUSED_POLL_NANOS);
        }
        long wait = Math.max(0, nanosOfTick(next) - clock.nanos());
        return timeoutNanos < 0 ? wait : Math.min(timeoutNanos, wait);
    }

    /**
     * Paused clock, runtime found idle: jumps the clock to {@code next}, the wheel's next
     * expiration as read before the idle probe, unless a timer was registered or cancelled
     * since; returns whether it jumped.
     *
     * <p>Why look again: between that read and the probe, a task still running on another
     * worker may register a timer due before {@code next} and then its worker parks, so the
     * probe finds the runtime idle. Jumping to {@code next} then fires that timer late, at
     * {@code next} (VirtualClockRaceTest replays this; the likely cause of the one wrong outcome
     * VirtualClockTest's timeout-heavy scenario once had on a loaded machine). Every such
     * registration was pushed before its worker parked, hence before the probe saw all workers
     * parked: it is now either still in the inbox, or in the wheel, where it made the next
     * expiration earlier. Then we do not jump: the registration wakes the selector and the next
     * park decides again. Likewise if a cancellation made it later: the clock would jump to a
     * deadline nobody waits for any more. An unchanged next expiration is safe to jump to, as it
     * is never later than a deadline in the wheel.
     */
    private boolean jumpIfUnchanged(long next) {
        boolean jumped = false;
        lock();
        try {
            if (inbox == null && wheel.nextExpiration() == next) {
                jumped = clock.advanceIfPaused(nanosOfTick(next));
            }
        } finally {
            locked = 0;
        }
        combine(); // what was pushed while we held the lock
        return jumped;
    }

    /**
     * The runtime is shutting down and its clock stops: every pending timer, and any registered
     * later, wakes its waker and fails its next poll with {@link IllegalStateException} (a
     * timer awaited from outside the runtime would otherwise wait forever). Called once, by
     * the thread that closes the runtime, after its workers stopped.
     */
    public void shutdown() {
        java.util.List<Waker> wakers = new java.util.ArrayList<>();
        lock();
        try {
            shutDown = true;
            drainLocked();
            wheel.clear(e -> {
                if (e.casState(TimerEntry.REGISTERED, TimerEntry.SHUT_DOWN) && e.waker != null) {
                    wakers.add(e.waker);
                }
            });
            nextExpiration = Long.MAX_VALUE;
        } finally {
            locked = 0;
        }
        combine(false);
        wakers.forEach(Waker::wake);
    }

    /** Driver holder only: the holder is no longer blocked. */
    public void afterPark() {
        parkedUntil = Long.MIN_VALUE;
    }

    /** The number of registered timers (approximate unless called by the driver holder). */
    public int registered() {
        return wheel.size();
    }
}
