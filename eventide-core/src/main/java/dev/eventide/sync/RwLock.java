package dev.eventide.sync;

import dev.eventide.Future;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An asynchronous reader-writer lock that owns the value it protects: many readers at once, or
 * one writer.
 *
 * <pre>{@code
 * RwLock<Config> config = new RwLock<>(initial);
 * try (var r = config.read().await()) { use(r.get()); }
 * try (var w = config.write().await()) { w.set(w.get().with(change)); }
 * }</pre>
 *
 * <h2>Fairness</h2>
 * Requests are served in arrival order: a writer that waits blocks the readers that come after
 * it, so a steady flow of readers cannot starve writers, and a reader never jumps ahead of an
 * earlier writer. As in tokio, the lock is a {@link Semaphore} of {@link #MAX_READERS} permits:
 * a reader takes one, a writer takes them all, and the semaphore's FIFO queue gives the order.
 *
 * <h2>Cancellation safety</h2>
 * {@link #read()} and {@link #write()} are cancel-safe: a cancelled request leaves the queue at
 * once, and whatever part of the lock had been handed to it goes to the next waiters.
 *
 * @param <T> the type of the protected value
 */
public final class RwLock<T> {
    /** The most readers that may hold the lock at once. */
    public static final int MAX_READERS = Semaphore.MAX_PERMITS;

    private final Semaphore semaphore = new Semaphore(MAX_READERS);
    private T value;

    /** An unlocked lock protecting {@code value} (which may be null). */
    public RwLock(T value) {
        this.value = value;
    }

    /** A future that waits (FIFO) for shared access and completes with a read guard. */
    public Future<ReadGuard<T>> read() {
        return new SemaphoreWaiter<>(semaphore, 1) {
            @Override
            ReadGuard<T> acquired() {
                return new ReadGuard<>(RwLock.this, 1);
            }
        };
    }

    /** A future that waits (FIFO) for exclusive access and completes with a write guard. */
    public Future<WriteGuard<T>> write() {
        return new SemaphoreWaiter<>(semaphore, MAX_READERS) {
            @Override
            WriteGuard<T> acquired() {
                return new WriteGuard<>(RwLock.this);
            }
        };
    }

    /** Shared access if available now without waiting (and nobody waits before), else null. */
    public ReadGuard<T> tryRead() {
        return semaphore.tryTake(1) ? new ReadGuard<>(this, 1) : null;
    }

    /** Exclusive access if available now without waiting (and nobody waits before), else null. */
    public WriteGuard<T> tryWrite() {
        return semaphore.tryTake(MAX_READERS) ? new WriteGuard<>(this) : null;
    }

    @Override
    public String toString() {
        int free = semaphore.availablePermits();
        return "RwLock[" + (free == MAX_READERS ? "unlocked" : free == 0 ? "locked" : (MAX_READERS - free) + " readers")
                + "]";
    }

    /** Releases a guard's permits once; shared by both guard kinds. */
    private abstract static class LockGuard implements AutoCloseable {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(LockGuard.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final RwLock<?> lock;
        private volatile boolean released;

        LockGuard(RwLock<?> lock) {
            this.lock = lock;
        }

        final void checkHeld() {
            if (released) {
                throw new IllegalStateException("this lock guard was closed: the lock is no longer held");
            }
        }

        final boolean markReleased() {
            return !(boolean) RELEASED.getAndSet(this, true);
        }

        abstract int permits();

        /** Releases this guard's hold on the lock; idempotent. */
        @Override
        public final void close() {
            if (markReleased()) {
                lock.semaphore.release(permits());
            }
        }
    }

    /**
     * Shared access to an {@link RwLock}'s value until {@link #close()}d.
     *
     * @param <T> the type of the protected value
     */
    public static final class ReadGuard<T> extends LockGuard {
        private final int permits;

        ReadGuard(RwLock<T> lock, int permits) {
            super(lock);
            this.permits = permits;
        }

        /**
         * The protected value.
         *
         * @throws IllegalStateException if this guard was closed
         */
        @SuppressWarnings("unchecked")
        public T get() {
            checkHeld();
            return ((RwLock<T>) lock).value;
        }

        @Override
        int permits() {
            return permits;
        }
    }

    /**
     * Exclusive access to an {@link RwLock}'s value until {@link #close()}d.
     *
     * @param <T> the type of the protected value
     */
    public static final class WriteGuard<T> extends LockGuard {
        WriteGuard(RwLock<T> lock) {
            super(lock);
        }

        /**
         * The protected value.
         *
         * @throws IllegalStateException if this guard was closed
         */
        @SuppressWarnings("unchecked")
        public T get() {
            checkHeld();
            return ((RwLock<T>) lock).value;
        }

        /**
         * Replaces the protected value.
         *
         * @throws IllegalStateException if this guard was closed
         */
        @SuppressWarnings("unchecked")
        public void set(T value) {
            checkHeld();
            ((RwLock<T>) lock).value = value;
        }

        /**
         * Turns this exclusive access into shared access without letting a writer in between:
         * the other readers waiting at the head of the queue get in at once. This guard is
         * closed; close the returned one.
         *
         * @throws IllegalStateException if this guard was closed
         */
        @SuppressWarnings("unchecked")
        public ReadGuard<T> downgrade() {
            if (!markReleased()) {
                throw new IllegalStateException("this lock guard was closed: the lock is no longer held");
            }
            ReadGuard<T> read = new ReadGuard<>((RwLock<T>) lock, 1);
            lock.semaphore.release(MAX_READERS - 1);
            return read;
        }

        @Override
        int permits() {
            return MAX_READERS;
        }
    }
}
