package dev.eventide.runtime.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an idle runtime waits on: the I/O selector and the timers. One worker at a time holds it
 * ({@link #tryLock}); a worker with nothing to do parks in {@link #park}, which blocks in
 * {@code select} until an I/O event, the next timer deadline, or {@link #wakeup()}; then it
 * dispatches what became ready (which wakes tasks) before returning. Busy workers call
 * {@code park(0)} every {@code eventInterval} ticks, so I/O and timers are served under load too.
 */
public final class Driver implements AutoCloseable {
    private final Selector selector;
    private final AtomicBoolean owned = new AtomicBoolean();
    private final boolean startPaused;

    public Driver(boolean startPaused) {
        this.startPaused = startPaused;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the runtime's selector", e);
        }
    }

    /** Whether the runtime's clock starts paused (virtual time, for tests). */
    public boolean startPaused() {
        return startPaused;
    }

    /** The selector every I/O resource of this runtime registers with. */
    public Selector selector() {
        return selector;
    }

    public boolean tryLock() {
        return !owned.get() && owned.compareAndSet(false, true);
    }

    public void unlock() {
        owned.set(false);
    }

    /**
     * Holder of the lock only: waits up to {@code timeoutNanos} (0: do not block; negative: until
     * an event or {@link #wakeup()}), then dispatches ready I/O and expired timers.
     */
    public void park(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(this::dispatch);
            } else if (timeoutNanos < 0) {
                selector.select(this::dispatch);
            } else {
                selector.select(this::dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the runtime's selector failed", e);
        }
    }

    private void dispatch(java.nio.channels.SelectionKey key) {
        if (key.attachment() instanceof IoEvents events) {
            events.onReady(key.readyOps());
        }
    }

    /** Makes a blocked or the next {@link #park} return promptly; any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing useful to do at shutdown; the selector's descriptors are gone either way.
        }
    }
}
