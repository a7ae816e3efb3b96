package dev.eventide.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The short lock of the channels' slow paths (a waiter queue, a broadcast ring): a test-and-set
 * word that spins briefly and then yields the thread.
 *
 * <p>Critical sections under it are a few field writes: never a wake, never a user callback,
 * never an allocation that could be large. Holders collect the wakers they must wake and wake
 * them after {@link #unlock()}, so a woken task never finds the lock held by its waker. A spin
 * lock rather than a monitor because the section is shorter than a park/unpark round trip, and
 * because a continuation must never suspend while holding it (none of these sections awaits).
 */
class ChannelLock {
    private static final VarHandle LOCKED;
    private static final int SPINS_BEFORE_YIELD = 64;

    private volatile int locked;

    /** Takes the lock, spinning (then yielding) while another thread holds it. */
    final void lock() {
        if (!LOCKED.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        int spins = 0;
        for (;;) {
            if (locked == 0 && LOCKED.compareAndSet(this, 0, 1)) {
                return;
            }
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the holder may have been descheduled: let it run
            }
        }
    }

    /** Releases the lock; only the holder may call it. */
    final void unlock() {
        LOCKED.setRelease(this, 0);
    }

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(ChannelLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
