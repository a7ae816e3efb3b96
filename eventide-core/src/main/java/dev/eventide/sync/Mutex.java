package dev.eventide.sync;

import dev.eventide.Future;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An asynchronous mutual-exclusion lock that owns the value it protects: waiting for it suspends
 * the task, not the thread, and it may be held across {@code await()}.
 *
 * <pre>{@code
 * Mutex<List<String>> names = new Mutex<>(new ArrayList<>());
 * try (Mutex.Guard<List<String>> g = names.lock().await()) {
 *     g.get().add(name);
 * }                                   // unlocked here, also when the block throws
 * }</pre>
 *
 * <p>The lock is fair: tasks get it in the order they started waiting ({@link #lock()} is a
 * {@link Semaphore} with one permit, so it inherits that semaphore's FIFO queue). A guard closed
 * by try-with-resources releases the lock as an exception unwinds, so a task that throws, or is
 * aborted, while holding it does not leave it locked. A guard that is never closed keeps the lock
 * locked forever: there is no owner thread to detect it.
 *
 * <p>Use this lock when the value must stay locked across an {@code await}; for short critical
 * sections without {@code await}, a plain {@code java.util.concurrent} lock is cheaper.
 *
 * <h2>Cancellation safety</h2>
 * {@link #lock()} is cancel-safe: a cancelled lock attempt leaves the queue at once and, if the
 * lock had already been handed to it, passes it on to the next waiter.
 *
 * @param <T> the type of the protected value
 */
public final class Mutex<T> {
    private final Semaphore semaphore = new Semaphore(1);
    private T value;

    /** A mutex, unlocked, protecting {@code value} (which may be null). */
    public Mutex(T value) {
        this.value = value;
    }

    /** A future that waits (FIFO) for the lock and completes with its guard; cancel-safe. */
    public Future<Guard<T>> lock() {
        return new SemaphoreWaiter<>(semaphore, 1) {
            @Override
            Guard<T> acquired() {
                return new Guard<>(Mutex.this);
            }
        };
    }

    /** Takes the lock if it is free and nobody is waiting for it; otherwise returns null. */
    public Guard<T> tryLock() {
        return semaphore.tryTake(1) ? new Guard<>(this) : null;
    }

    /** Whether the lock is held now, or waiters are about to get it (a snapshot). */
    public boolean isLocked() {
        return semaphore.availablePermits() == 0;
    }

    @Override
    public String toString() {
        return "Mutex[" + (isLocked() ? "locked" : "unlocked") + "]";
    }

    /**
     * Holds a {@link Mutex}'s lock until {@link #close()}d; gives access to the protected value.
     * A guard belongs to the task that locked: hand it to another task only with the usual
     * happens-before care.
     *
     * @param <T> the type of the protected value
     */
    public static final class Guard<T> implements AutoCloseable {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Guard.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Mutex<T> mutex;
        private volatile boolean released;

        Guard(Mutex<T> mutex) {
            this.mutex = mutex;
        }

        /**
         * The protected value.
         *
         * @throws IllegalStateException if this guard was closed
         */
        public T get() {
            checkHeld();
            return mutex.value;
        }

        /**
         * Replaces the protected value.
         *
         * @throws IllegalStateException if this guard was closed
         */
        public void set(T value) {
            checkHeld();
            mutex.value = value;
        }

        private void checkHeld() {
            if (released) {
                throw new IllegalStateException("this mutex guard was closed: the lock is no longer held");
            }
        }

        /** Unlocks the mutex (the next waiter gets it); idempotent. */
        @Override
        public void close() {
            if (!(boolean) RELEASED.getAndSet(this, true)) {
                mutex.semaphore.release(1);
            }
        }
    }
}
