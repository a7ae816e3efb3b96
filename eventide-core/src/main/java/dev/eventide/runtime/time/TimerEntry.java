package dev.eventide.runtime.time;

import dev.eventide.Waker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One timer: a deadline, the waker to wake when it passes, and the links that put it in the
 * {@link Wheel}. Timer futures ({@code Sleep}, {@code Timeout}) extend this class, so a timer is
 * one allocation, about 48 bytes.
 *
 * <h2>Ground rules</h2>
 * The entry belongs to one owner (the future, polled by one task at a time) and is touched by
 * the wheel's holder. Its life is a one-word state machine; every transition is one CAS, so
 * there is a single order of events:
 * <pre>
 *   IDLE --register--&gt; QUEUED --wheel holder inserts--&gt; REGISTERED --deadline--&gt; FIRED
 *     |                   |                                |
 *     +----cancel---------+-------------cancel-------------+--&gt; CANCELLED
 *   FIRED --rearm (owner)--&gt; IDLE
 *   QUEUED, REGISTERED --runtime shut down--&gt; SHUT_DOWN
 * </pre>
 * <ul>
 *   <li>{@code deadline} is written by the owner only while the entry is IDLE (or FIRED, before
 *       a rearm), and read by the wheel's holder after the publishing CAS to QUEUED.</li>
 *   <li>{@code prev}, {@code next} and {@code slot} are touched only under the wheel lock.</li>
 *   <li>{@code nextOp} links the entry into the driver's inbox; an entry is in the inbox at most
 *       once: pushed when it becomes QUEUED, or when a REGISTERED entry is cancelled (so the
 *       wheel's holder unlinks it). Both pushes follow the CAS that makes the pusher the only
 *       one allowed to push.</li>
 *   <li>The waker is stored (volatile) before the owner re-reads the state, and the holder sets
 *       FIRED before reading the waker, so one of them sees the other: no lost wake-up.</li>
 * </ul>
 * A FIRED or CANCELLED entry is in neither the wheel nor the inbox once its remove is applied,
 * so nothing but its owner refers to it: a cancelled timer is garbage as soon as its owner is.
 */
public abstract class TimerEntry {
    static final int IDLE = 0;
    static final int QUEUED = 1;
    static final int REGISTERED = 2;
    static final int FIRED = 3;
    static final int CANCELLED = 4;
    /** The runtime shut down before the deadline: polling throws. */
    static final int SHUT_DOWN = 5;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TimerEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The time driver of the runtime this timer belongs to. */
    protected final TimeDriver driver;
    /** The deadline, in ticks (ms) of the runtime's clock, rounded up: a timer never fires early. */
    long deadline;
    TimerEntry prev;
    TimerEntry next;
    TimerEntry nextOp;
    /** Index of the wheel slot holding this entry, or -1. */
    short slot = -1;
    private volatile int state;
    volatile Waker waker;

    /** A timer of {@code driver}'s runtime due at tick {@code deadline}; not yet registered. */
    protected TimerEntry(TimeDriver driver, long deadline) {
        this.driver = driver;
        this.deadline = deadline;
    }

    final int lvState() {
        return state;
    }

    final boolean casState(int expect, int update) {
        return STATE.compareAndSet(this, expect, update);
    }

    final boolean isCancelled() {
        return state == CANCELLED;
    }

    /** The deadline, in ticks of the runtime's clock. */
    protected final long deadlineTick() {
        return deadline;
    }

    /** Whether the deadline has passed and the timer fired. */
    protected final boolean hasFired() {
        return state == FIRED;
    }

    /**
     * Owner only: returns true if the deadline has passed; otherwise makes sure the timer is
     * registered and will wake {@code w}, and returns false. A deadline already reached when the
     * timer is first polled completes at once, without touching the wheel.
     *
     * @throws IllegalStateException if the timer was cancelled, or its runtime shut down
     *     before the deadline
     */
    protected final boolean pollFired(Waker w) {
        int s = state;
        if (s == FIRED) {
            return true;
        }
        if (s == SHUT_DOWN) {
            throw shutDown();
        }
        if (s == IDLE) {
            if (deadline <= driver.nowTick() && casState(IDLE, FIRED)) {
                return true;
            }
            waker = w;
            if (casState(IDLE, QUEUED)) {
                driver.submit(this);
            }
        } else if (s == CANCELLED) {
            throw new IllegalStateException("a cancelled timer was polled");
        } else if (waker != w) {
            waker = w;
        }
        s = state;
        if (s == SHUT_DOWN) {
            throw shutDown();
        }
        return s == FIRED;
    }

    private static IllegalStateException shutDown() {
        return new IllegalStateException("the runtime this timer belongs to has shut down before the timer's"
                + " deadline: its clock no longer runs");
    }

    /**
     * Owner only: registers the timer even if its deadline has been reached, so that it fires
     * in the wheel's next pass over that deadline, after every timer due at the same time. Used
     * by {@code Time.advance}.
     */
    protected final void registerForced(Waker w) {
        if (state == IDLE) {
            waker = w;
            if (casState(IDLE, QUEUED)) {
                driver.submit(this);
            }
        }
    }

    /**
     * Any thread, idempotent: abandons the timer. Once the driver applies the removal (at once,
     * unless another thread holds the wheel for a moment), the wheel no longer refers to it.
     */
    protected final void cancelTimer() {
        for (;;) {
            int s = state;
            if (s == FIRED || s == CANCELLED || s == SHUT_DOWN) {
                return;
            }
            if (casState(s, CANCELLED)) {
                waker = null;
                if (s == REGISTERED) {
                    driver.submit(this); // in the wheel: the holder must unlink it
                }
                return; // IDLE: never registered; QUEUED: the holder drops it from the inbox
            }
        }
    }

    /**
     * Owner only, after the timer fired (or before it was first polled): sets a new deadline;
     * the next {@link #pollFired} registers it again.
     *
     * @throws IllegalStateException if the timer is registered or cancelled
     */
    protected final void rearm(long deadlineTick) {
        int s = state;
        if (s != FIRED && s != IDLE) {
            throw new IllegalStateException("only a fired or unregistered timer can be rearmed");
        }
        deadline = deadlineTick;
        if (!casState(s, IDLE)) {
            throw new IllegalStateException("a timer was cancelled while being rearmed");
        }
    }
}
