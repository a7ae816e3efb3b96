package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A value set at most once, typically by an asynchronous initialisation that runs once even
 * when many tasks ask for the value at the same time.
 *
 * <pre>{@code
 * OnceCell<Config> config = new OnceCell<>();
 * Config c = config.getOrInit(() -> loadConfig()).await();   // loadConfig() returns a Future
 * Config d = config.getOrInitWith(() -> parse(download().await()));   // inside an async block
 * }</pre>
 *
 * <p>The first caller runs the initialiser; concurrent callers wait (FIFO, on a one-permit
 * {@link Semaphore}) and get the same value. If the initialiser throws or is cancelled, the cell
 * stays empty and the next waiter runs its own initialiser; so an initialiser runs to completion
 * at most once. Values must not be null (null means "not set").
 *
 * <h2>Cancellation safety</h2>
 * {@link #getOrInit} is cancel-safe: a cancelled caller that was waiting leaves the queue; one
 * that was initialising cancels its initialiser's future and lets the next waiter initialise.
 */
public final class OnceCell<T> {
    private volatile T value;
    /** Held by the caller that initialises; closed once the value is set, to release all waiters. */
    private final Semaphore initPermit = new Semaphore(1);

    /** An empty cell. */
    public OnceCell() {
    }

    /** The value, or null if it is not set yet. */
    public T get() {
        return value;
    }

    /** Whether the value is set. */
    public boolean isInitialized() {
        return value != null;
    }

    /**
     * Sets the value if the cell is empty and no initialisation is under way.
     *
     * @return true if this call set the value
     */
    public boolean set(T newValue) {
        Objects.requireNonNull(newValue, "newValue");
        Semaphore.Permit p;
        try {
            p = initPermit.tryAcquire();
        } catch (SemaphoreClosedException alreadySet) {
            return false;
        }
        if (p == null) {
            return false;
        }
        publish(newValue, p);
        return true;
    }

    private void publish(T v, Semaphore.Permit p) {
        value = v;
        p.forget();
        initPermit.close(); // wakes every waiter; they find the value
    }

    /**
     * A future of the value that, if the cell is empty and nobody is initialising it, creates and
     * polls the future {@code init} supplies and stores its result; if someone is initialising,
     * waits for them. {@code init} is called only by the caller that initialises.
     *
     * @throws NullPointerException (from the future) if the initialiser produced null
     */
    public Future<T> getOrInit(Supplier<? extends Future<? extends T>> init) {
        Objects.requireNonNull(init, "init");
        return new GetOrInit(init);
    }

    /**
     * The value, initialised if need be by running {@code init} in the calling task: inside an
     * async block, {@code init} may {@code await}; on a thread outside any runtime this blocks.
     * Concurrent callers wait for the one that initialises. If the calling task is aborted while
     * initialising, the next waiter initialises.
     *
     * @throws Exception what {@code init} threw (the cell stays empty)
     */
    public T getOrInitWith(Callable<? extends T> init) throws Exception {
        Objects.requireNonNull(init, "init");
        T v = value;
        if (v != null) {
            return v;
        }
        Semaphore.Permit p;
        try {
            p = initPermit.acquire().await();
        } catch (SemaphoreClosedException set) {
            return value;
        }
        try {
            v = value;
            if (v == null) {
                v = Objects.requireNonNull(init.call(), "the initialiser returned null");
                publish(v, p);
            }
            return v;
        } finally {
            p.close(); // no-op once published (forgotten)
        }
    }

    @Override
    public String toString() {
        T v = value;
        return v == null ? "OnceCell[empty]" : "OnceCell[" + v + "]";
    }

    /** The future of {@link #getOrInit}: wait for the permit, then run the initialiser. */
    private final class GetOrInit implements Future<T> {
        private final Supplier<? extends Future<? extends T>> init;
        private Future<Semaphore.Permit> acquire;
        private Semaphore.Permit permit;
        private Future<? extends T> initFuture;
        private boolean done;

        GetOrInit(Supplier<? extends Future<? extends T>> init) {
            this.init = init;
        }

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("getOrInit future polled after it completed or was cancelled");
            }
            if (permit == null) {
                T v = value;
                if (v != null) {
                    return finish(v);
                }
                if (acquire == null) {
                    acquire = initPermit.acquire();
                }
                Poll<Semaphore.Permit> p;
                try {
                    p = acquire.poll(cx);
                } catch (SemaphoreClosedException set) {
                    acquire = null;
                    return finish(value);
                }
                if (p.isPending()) {
                    return Poll.pending();
                }
                acquire = null;
                permit = p.value();
                if (value != null) {
                    permit.close();
                    permit = null;
                    return finish(value);
                }
                initFuture = Objects.requireNonNull(init.get(), "the initialiser supplied a null future");
            }
            Poll<? extends T> r;
            try {
                r = initFuture.poll(cx);
            } catch (RuntimeException | Error e) {
                abandonInit();
                done = true;
                throw e;
            }
            if (r.isPending()) {
                return Poll.pending();
            }
            T v = r.value();
            initFuture = null;
            if (v == null) {
                abandonInit();
                done = true;
                throw new NullPointerException("the initialiser's future produced null");
            }
            publish(v, permit);
            permit = null;
            return finish(v);
        }

        private Poll<T> finish(T v) {
            done = true;
            return Poll.ready(v);
        }

        private void abandonInit() {
            initFuture = null;
            Semaphore.Permit p = permit;
            permit = null;
            if (p != null) {
                p.close(); // the next waiter initialises
            }
        }

        @Override
        public void cancel() {
            if (done) {
                return;
            }
            done = true;
            if (acquire != null) {
                acquire.cancel();
                acquire = null;
            }
            Future<? extends T> f = initFuture;
            if (f != null) {
                try {
                    f.cancel();
                } finally {
                    abandonInit();
                }
            } else {
                abandonInit();
            }
        }
    }
}
