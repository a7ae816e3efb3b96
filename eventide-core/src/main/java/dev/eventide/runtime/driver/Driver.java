package dev.eventide.runtime.driver;

import dev.eventide.runtime.time.TimeDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What an idle runtime waits on: the I/O selector and the timers. One worker at a time holds it
 * ({@link #tryLock}); a worker with nothing to do parks in {@link #park}, which blocks in
 * {@code select} until an I/O event, the next timer deadline, or {@link #wakeup()}; then it
 * dispatches what became ready (which wakes tasks) before returning. Busy workers call
 * {@code park(0)} every {@code eventInterval} ticks, so I/O and timers are served under load too.
 *
 * <p>Timers: the {@link TimeDriver} caps each blocking {@code select} at the next deadline (a
 * timer registered meanwhile with an earlier deadline wakes the selector), and after every
 * {@code select} the expired timers fire. On a paused clock, a park of an idle runtime (as the
 * scheduler's {@linkplain #setIdleProbe idle probe} tells) jumps the clock to the next deadline
 * instead of blocking.
 */
public final class Driver implements AutoCloseable {
    private long ioEvents;
    private final Selector selector;
    private final AtomicBoolean owned = new AtomicBoolean();
    private final boolean startPaused;
    private final TimeDriver time;
    private volatile BooleanSupplier idleProbe = () -> false;

    /** @param startPaused whether the runtime's clock starts paused (virtual time) */
    public Driver(boolean startPaused) {
        this.startPaused = startPaused;
        this.time = new TimeDriver(startPaused, this::wakeup);
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

    /** The runtime's timers and clock. */
    public TimeDriver time() {
        return time;
    }

    /**
     * Installs the scheduler's answer to "is the whole runtime idle?": no task queued or running
     * anywhere, and no blocking job in flight. Asked only on a paused clock, by the worker about
     * to block in {@link #park}, to decide whether virtual time may jump to the next timer.
     */
    public void setIdleProbe(BooleanSupplier probe) {
        this.idleProbe = probe;
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

    /** Whether a thread holds the lock (racy: for a monitor's sample). */
    public boolean isLocked() {
        return owned.get();
    }

    /**
     * Holder of the lock only: waits up to {@code timeoutNanos} (0: do not block; negative: until
     * an event or {@link #wakeup()}), then dispatches ready I/O and expired timers.
     */
    public void park(long timeoutNanos) {
        boolean blocking = timeoutNanos != 0;
        long timeout = blocking ? time.beforePark(timeoutNanos, idleProbe) : 0;
        try {
            if (timeout == 0) {
                selector.selectNow(this::dispatch);
            } else if (timeout < 0) {
                selector.select(this::dispatch);
            } else {
                // Round up: waking before the deadline would only make us spin.
                long millis = TimeUnit.NANOSECONDS.toMillis(timeout + TimeUnit.MILLISECONDS.toNanos(1) - 1);
                selector.select(this::dispatch, Math.max(1, millis));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the runtime's selector failed", e);
        } finally {
            if (blocking) {
                time.afterPark();
            }
        }
        time.fireExpired();
    }

    private void dispatch(java.nio.channels.SelectionKey key) {
        ioEvents++;
        if (key.attachment() instanceof IoEvents events) {
            int ready;
            try {
                ready = key.readyOps();
            } catch (java.nio.channels.CancelledKeyException closedMeanwhile) {
                return; // its channel was closed by another thread during this select: nobody to tell
            }
            events.onReady(ready);
        }
    }

    /**
     * Readiness events dispatched so far. Written only by the thread holding the driver, read
     * racily (a few events old at worst): a metric, not a synchronisation point.
     */
    public long ioEvents() {
        return ioEvents;
    }

    /** Channels registered with the selector now (approximate while they change). */
    public int ioRegistrations() {
        try {
            return selector.keys().size();
        } catch (java.nio.channels.ClosedSelectorException closed) {
            return 0;
        }
    }

    /** Makes a blocked or the next {@link #park} return promptly; any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        time.shutdown();
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing useful to do at shutdown; the selector's descriptors are gone either way.
        }
    }
}
