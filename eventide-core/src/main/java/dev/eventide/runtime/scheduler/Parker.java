package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.driver.Driver;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks a worker (tokio's {@code park.rs}). The first worker to park takes the {@link Driver} and
 * waits in it (the selector, with the next timer's deadline as timeout), so I/O and timers are
 * served while the runtime is idle; the others park on {@link LockSupport}. {@link #unpark} wakes
 * the worker whichever way it waits, and a wake-up that comes before the park is not lost: the
 * park returns at once.
 */
final class Parker {
    private static final int EMPTY = 0;
    private static final int PARKED_CONDVAR = 1;
    private static final int PARKED_DRIVER = 2;
    private static final int NOTIFIED = 3;

    private final AtomicInteger state = new AtomicInteger(EMPTY);
    private final Driver driver;
    /** The thread that parks here; changes when a core is handed to another thread. */
    volatile Thread thread;

    Parker(Driver driver) {
        this.driver = driver;
    }

    /** Parks until {@link #unpark()}, or (if it gets the driver) an I/O or timer event. */
    void park() {
        park(-1);
    }

    /** As {@link #park()}, for at most {@code timeoutNanos} (negative: no limit). */
    void park(long timeoutNanos) {
        if (state.compareAndSet(NOTIFIED, EMPTY)) {
            return;
        }
        if (driver.tryLock()) {
            try {
                parkDriver(timeoutNanos);
            } finally {
                driver.unlock();
            }
        } else {
            parkCondvar(timeoutNanos);
        }
    }

    /** Polls the driver without blocking, if no other worker holds it. */
    void pollDriver() {
        if (driver.tryLock()) {
            try {
                driver.park(0);
            } finally {
                driver.unlock();
            }
        }
    }

    private void parkDriver(long timeoutNanos) {
        if (!state.compareAndSet(EMPTY, PARKED_DRIVER)) {
            state.set(EMPTY); // was NOTIFIED
            return;
        }
        try {
            driver.park(timeoutNanos);
        } finally {
            state.set(EMPTY); // PARKED_DRIVER or NOTIFIED: either way, back to work
        }
    }

    private void parkCondvar(long timeoutNanos) {
        if (!state.compareAndSet(EMPTY, PARKED_CONDVAR)) {
            state.set(EMPTY);
            return;
        }
        if (timeoutNanos >= 0) {
            LockSupport.parkNanos(this, timeoutNanos);
            state.set(EMPTY);
            return;
        }
        for (;;) {
            LockSupport.park(this);
            if (state.compareAndSet(NOTIFIED, EMPTY)) {
                return;
            }
            // spurious wake-up (or an interrupt, which workers ignore): park again
            Thread.interrupted();
        }
    }

    /** Whether the worker waits on its condition variable, not in the driver (racy: for the monitor). */
    boolean parkedOnCondvar() {
        return state.get() == PARKED_CONDVAR;
    }

    void unpark() {
        switch (state.getAndSet(NOTIFIED)) {
            case PARKED_CONDVAR -> LockSupport.unpark(thread);
            case PARKED_DRIVER -> driver.wakeup();
            default -> { } // EMPTY or NOTIFIED: the next park returns at once
        }
    }
}
