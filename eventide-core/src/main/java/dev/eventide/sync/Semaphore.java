package dev.eventide.sync;

import dev.eventide.Future;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An asynchronous counting semaphore, fair (first come, first served), that hands out any number
 * of permits per acquire. {@link Mutex} and {@link RwLock} are built on it.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (Semaphore.Permit p = connections.acquire().await()) {
 *     talkToTheServer();
 * }                                            // the permit goes back here, even on exceptions
 * }</pre>
 *
 * <h2>Fairness</h2>
 * Acquires are served strictly in the order they first waited: a waiter that needs many permits
 * is given permits as they are released until it has all it needs, and later acquires (even ones
 * needing a single permit, and {@link #tryAcquire}) wait behind it. This rules out starvation of
 * large acquires, at the cost of leaving permits idle while the head of the queue collects.
 *
 * <h2>Cancellation safety</h2>
 * {@link #acquire(int)} is cancel-safe: a pending acquire that is cancelled (loses a
 * {@code select}, times out, or its task is aborted) leaves the queue at once and gives back any
 * permits already assigned to it, which go to the next waiters; nothing is leaked, and the order
 * of the other waiters is kept. Cancelling it does, of course, lose its place in the queue.
 *
 * <h2>Closing</h2>
 * {@link #close()} fails every waiting and future acquire with {@link SemaphoreClosedException};
 * permits held when it is closed may still be released, and {@link #availablePermits()} keeps
 * counting them.
 *
 * <h2>Implementation overview</h2>
 * As tokio's {@code batch_semaphore}: the free permits live in one atomic word together with the
 * closed bit, so an uncontended acquire or release is one CAS. Waiters form an intrusive FIFO
 * ({@link WaiterQueue}) guarded by a short lock (the queue's monitor). The invariant that makes
 * the lock-free fast path fair: <em>while anyone waits, the word holds no permits</em>. A
 * releaser, under the lock, assigns its permits to the waiters in order (the head first, until
 * it has all it needs) and puts back in the word only what no waiter needs; a new waiter, under
 * the lock, drains the word before it queues. Wakers of satisfied waiters are collected in a
 * {@link WakeList} and woken after the lock is dropped. A waiter re-polled with the same waker
 * does not take the lock: its outstanding count is volatile and written only under the lock.
 */
public final class Semaphore {
    /** The most permits a semaphore can hold, and so the most one acquire may ask for. */
    public static final int MAX_PERMITS = Integer.MAX_VALUE >>> 3;

    private static final int CLOSED = 1;
    private static final int PERMIT_SHIFT = 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Semaphore.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Free permits shifted left by one, or'ed with {@link #CLOSED}. */
    private volatile int state;
    /** The waiters; its monitor is the lock that guards it and every waiter's fields. */
    final WaiterQueue waiters = new WaiterQueue();

    /**
     * Creates a semaphore with {@code permits} free permits.
     *
     * @throws IllegalArgumentException if {@code permits} is negative or above {@link #MAX_PERMITS}
     */
    public Semaphore(int permits) {
        checkCount(permits, "permits");
        STATE.setRelease(this, permits << PERMIT_SHIFT);
    }

    private static void checkCount(int n, String name) {
        if (n < 0 || n > MAX_PERMITS) {
            throw new IllegalArgumentException(name + " must be between 0 and " + MAX_PERMITS + ", got " + n);
        }
    }

    /** The number of free permits now (zero while anyone waits). */
    public int availablePermits() {
        return state >>> PERMIT_SHIFT;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /** {@link #acquire(int) acquire(1)}. */
    public Future<Permit> acquire() {
        return acquire(1);
    }

    /**
     * A future that waits, in FIFO order, until {@code n} permits are assigned to it and completes
     * with a {@link Permit} for them. Cancel-safe; see the class documentation. The future fails
     * with {@link SemaphoreClosedException} if the semaphore is or becomes closed.
     *
     * @throws IllegalArgumentException at once if {@code n} is negative or above
     *     {@link #MAX_PERMITS}: more than the semaphore can ever hold would wait forever
     */
    public Future<Permit> acquire(int n) {
        checkCount(n, "n");
        return new SemaphoreWaiter<>(this, n) {
            @Override
            Permit acquired() {
                return new Permit(Semaphore.this, n);
            }
        };
    }

    /** {@link #tryAcquire(int) tryAcquire(1)}. */
    public Permit tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code n} permits if they are free now and nobody waits before this caller, else
     * returns null.
     *
     * @throws SemaphoreClosedException if the semaphore is closed
     * @throws IllegalArgumentException if {@code n} is negative or above {@link #MAX_PERMITS}
     */
    public Permit tryAcquire(int n) {
        checkCount(n, "n");
        return tryTake(n) ? new Permit(this, n) : null;
    }

    /**
     * Adds {@code n} permits: they go to the waiters first, in order, and the rest become free.
     *
     * @throws IllegalArgumentException if {@code n} is negative or the semaphore would hold more
     *     than {@link #MAX_PERMITS}
     */
    public void addPermits(int n) {
        checkCount(n, "n");
        if (n > 0) {
            release(n, true);
        }
    }

    /**
     * Closes the semaphore: waiting acquires fail with {@link SemaphoreClosedException}, as do
     * all later ones. Idempotent. Outstanding permits may still be released.
     */
    public void close() {
        WakeList wake = new WakeList();
        synchronized (waiters) {
            STATE.getAndBitwiseOr(this, CLOSED);
            int giveBack = 0;
            for (WaiterNode n; (n = waiters.pollFirst()) != null; ) {
                SemaphoreWaiter<?> w = (SemaphoreWaiter<?>) n;
                giveBack += w.permits - w.needed;
                w.closed = true;
                wake.add(w);
            }
            if (giveBack > 0) {
                STATE.getAndAdd(this, giveBack << PERMIT_SHIFT);
            }
        }
        wake.wakeAll();
    }

    // ------------------------------------------------------------------ internals

    /**
     * The lock-free fast path: takes {@code n} permits if the word holds them. Fair because the
     * word holds no permits while anyone waits.
     *
     * @throws SemaphoreClosedException if closed
     */
    boolean tryTake(int n) {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                throw new SemaphoreClosedException();
            }
            if ((s >>> PERMIT_SHIFT) < n) {
                return false;
            }
            if (STATE.weakCompareAndSet(this, s, s - (n << PERMIT_SHIFT))) {
                return true;
            }
        }
    }

    /**
     * Takes up to {@code n} free permits and returns how many it took; call with the lock held
     * (the slow path of an acquire, just before it queues).
     */
    int takeUpTo(WaiterQueue locked, int n) {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                throw new SemaphoreClosedException();
            }
            int take = Math.min(s >>> PERMIT_SHIFT, n);
            if (STATE.weakCompareAndSet(this, s, s - (take << PERMIT_SHIFT))) {
                return take;
            }
        }
    }

    /** Returns {@code n} permits (from a permit, a guard or a cancelled waiter). */
    void release(int n) {
        release(n, false);
    }

    private void release(int n, boolean checkOverflow) {
        WakeList wake = new WakeList();
        synchronized (waiters) {
            if (checkOverflow && waiters.isEmpty() && availablePermits() + (long) n > MAX_PERMITS) {
                throw new IllegalArgumentException("adding " + n + " permits to " + availablePermits()
                        + " would exceed Semaphore.MAX_PERMITS (" + MAX_PERMITS + ")");
            }
            releaseLocked(waiters, n, wake);
        }
        wake.wakeAll();
    }

    /**
     * Assigns {@code n} permits to the waiters in FIFO order, collecting the wakers of those that
     * now have all they need, and frees the rest. Call with the lock held ({@code locked}).
     */
    void releaseLocked(WaiterQueue locked, int n, WakeList wake) {
        WaiterNode head;
        while (n > 0 && (head = locked.peekFirst()) != null) {
            SemaphoreWaiter<?> w = (SemaphoreWaiter<?>) head;
            int need = w.needed;
            int give = Math.min(need, n);
            n -= give;
            if (give == need) {
                locked.pollFirst();
                wake.add(w);
            }
            w.needed = need - give; // volatile: publishes the grant to a lock-free re-poll
        }
        if (n > 0) {
            STATE.getAndAdd(this, n << PERMIT_SHIFT);
        }
    }

    @Override
    public String toString() {
        return "Semaphore[permits=" + availablePermits() + (isClosed() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ the permit

    /**
     * Permits taken from a {@link Semaphore}; {@link #close()} gives them back (use
     * try-with-resources). Closing twice gives them back once.
     */
    public static final class Permit implements AutoCloseable {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Permit.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Semaphore semaphore;
        private final int permits;
        @SuppressWarnings("unused") // accessed through RELEASED
        private volatile boolean released;

        Permit(Semaphore semaphore, int permits) {
            this.semaphore = semaphore;
            this.permits = permits;
        }

        /** The number of permits this object holds. */
        public int permits() {
            return permits;
        }

        /** The semaphore the permits came from. */
        public Semaphore semaphore() {
            return semaphore;
        }

        /**
         * Gives up the permits without returning them: the semaphore has that many fewer for
         * good. Closing afterwards does nothing.
         */
        public void forget() {
            RELEASED.setVolatile(this, true);
        }

        /** Returns the permits to the semaphore; idempotent. */
        @Override
        public void close() {
            if (!(boolean) RELEASED.getAndSet(this, true) && permits > 0) {
                semaphore.release(permits);
            }
        }

        @Override
        public String toString() {
            return "Permit[" + permits + (released ? ", released" : "") + "]";
        }
    }
}
