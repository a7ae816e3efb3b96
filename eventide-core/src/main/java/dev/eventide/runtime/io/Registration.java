package dev.eventide.runtime.io;

import dev.eventide.Context;
import dev.eventide.Waker;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.driver.IoEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * One channel's registration with the reactor (tokio's {@code ScheduledIo}): its readiness, and
 * the waker of the task waiting in each direction. The selection key's attachment.
 *
 * <h2>Implementation overview</h2>
 *
 * <p><b>State word.</b> {@link #state} packs the readiness bits ({@link #READ}, {@link #WRITE})
 * in its low byte and a <em>tick</em> above them, which the driver increments on every event.
 * Every change is one CAS, so events and clears have a single order.
 *
 * <p><b>Operations</b> (a read, a write, an accept) follow one protocol: take a snapshot with
 * {@link #pollReady}; if the direction is not ready, the waker is stored, interest is armed, and
 * readiness is checked once more (an event may have come in between), else the caller returns
 * pending. If ready, the caller tries the non-blocking system call; if that would block, it calls
 * {@link #clearReady} with its snapshot, which clears the bit only if no event arrived since the
 * snapshot (same tick) - so an event that raced with the failing call is never lost - and loops.
 * Readiness starts set: a new socket is tried once before anything is armed.
 *
 * <p><b>Interest</b> (the key's {@code interestOps}) is managed lazily, because the JDK selector
 * is level-triggered and an interest change costs an {@code epoll_ctl} plus, from a thread that
 * is not selecting, a {@link Driver#wakeup()}. The rule to keep is: <em>a direction whose
 * readiness is clear has its interest armed</em>; turning interest off is only an optimisation
 * (a level-triggered key whose data nobody reads would otherwise be reported by every select).
 * <ul>
 *   <li>An operation arms its direction (after clearing readiness) if the key lacks it, then wakes
 *       the selector so a blocked {@code select} picks the change up.</li>
 *   <li>The driver, on an event, sets readiness and wakes the waiting task. It disarms a
 *       direction only when the direction was already ready before this event (nobody consumed
 *       it: the key would spin) or is the write direction (sockets are nearly always writable).
 *       After disarming it re-reads the state, and re-arms if an operation cleared readiness
 *       meanwhile: that operation may have seen the interest still armed and not armed it
 *       itself. So in a steady request/response exchange a read interest stays armed and costs no
 *       system call and no selector wake-up.</li>
 * </ul>
 *
 * <p><b>Wakers.</b> One slot per direction: one task at a time may wait to read, and one to write
 * (two tasks may share a stream only as its read half and its write half). The driver takes the
 * waker out of its slot before waking it. An operation that is cancelled removes its waker
 * ({@link #dropWaker}), so nothing is woken for a future that no longer exists.
 */
public final class Registration implements IoEvents {
    /** Readiness (and direction) bit: readable, or acceptable for a listener. */
    public static final int READ = 1;
    /** Readiness (and direction) bit: writable, or connectable for a connecting socket. */
    public static final int WRITE = 2;
    /** Returned by {@link #pollReady} when the direction is not ready. */
    public static final int NOT_READY = -1;

    private static final int READINESS = 0xff;
    private static final int TICK = 0x100;

    private static final VarHandle STATE;
    private static final VarHandle READ_WAKER;
    private static final VarHandle WRITE_WAKER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Registration.class, "state", int.class);
            READ_WAKER = l.findVarHandle(Registration.class, "readWaker", Waker.class);
            WRITE_WAKER = l.findVarHandle(Registration.class, "writeWaker", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Driver driver;
    private final SelectionKey key;
    /** Which of the channel's operations {@code READ} stands for ({@code OP_READ} or {@code OP_ACCEPT}). */
    private final int readOp;
    /** Which of the channel's operations {@code WRITE} stands for ({@code OP_WRITE} or {@code OP_CONNECT}). */
    private volatile int writeOp;
    @SuppressWarnings("unused") // through STATE
    private volatile int state = READ | WRITE;
    @SuppressWarnings("unused") // through READ_WAKER
    private volatile Waker readWaker;
    @SuppressWarnings("unused") // through WRITE_WAKER
    private volatile Waker writeWaker;

    private Registration(Driver driver, SelectableChannel channel, int readOp, int writeOp) throws IOException {
        this.driver = driver;
        this.readOp = readOp;
        this.writeOp = writeOp;
        // JDK 11+ selectors take a registration without waiting for a select in progress. Both
        // calls take the channel's locks, and a block may be on the stack: see ExecContext.
        this.key = ExecContext.ioInOwnFrame(() -> {
            channel.configureBlocking(false);
            return channel.register(driver.selector(), 0, this);
        });
    }

    /**
     * Registers {@code channel} (switched to non-blocking mode) with the calling thread's
     * runtime. On failure the channel is closed.
     *
     * @param what what is being created, for the error message
     * @throws IllegalStateException if the calling thread belongs to no runtime
     * @throws UncheckedIOException if the registration fails (the runtime is closed, for one)
     */
    public static Registration register(SelectableChannel channel, int readOp, int writeOp, String what) {
        Driver driver;
        try {
            driver = currentDriver(what);
        } catch (IllegalStateException e) {
            closeQuietly(channel, e);
            throw e;
        }
        return register(driver, channel, readOp, writeOp, what);
    }

    /** As {@link #register(SelectableChannel, int, int, String)}, with the given runtime's driver. */
    public static Registration register(Driver driver, SelectableChannel channel, int readOp, int writeOp,
            String what) {
        try {
            return new Registration(driver, channel, readOp, writeOp);
        } catch (ClosedSelectorException e) {
            IOException io = new IOException(what + ": the runtime is closed", e);
            closeQuietly(channel, io);
            throw new UncheckedIOException(io);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new UncheckedIOException(what + ": cannot register with the runtime's reactor", e);
        }
    }

    /** The driver of the calling thread's runtime; {@code what} names the caller in the error. */
    public static Driver currentDriver(String what) {
        ExecContext ec = ExecContext.current();
        if (ec == null) {
            throw new IllegalStateException(what + " must be called on a runtime thread (inside Eventide.run,"
                    + " blockOn, or a spawned task): sockets register with the reactor of the runtime that"
                    + " creates them, and this thread belongs to no runtime.");
        }
        Reactor.closeAtShutdown(ec.scheduler);
        return ec.scheduler.driver;
    }

    private static void closeQuietly(SelectableChannel channel, Exception primary) {
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** The driver this channel is registered with. */
    public Driver driver() {
        return driver;
    }

    /** The registered channel. */
    public SelectableChannel channel() {
        return key.channel();
    }

    /**
     * Changes which operation the write direction stands for: a connecting socket waits for
     * {@code OP_CONNECT}, then writes with {@code OP_WRITE}. Disarms the old operation, which
     * would otherwise be reported forever.
     */
    public void setWriteOp(int op) {
        int old = writeOp;
        this.writeOp = op;
        try {
            key.interestOpsAnd(~old);
        } catch (CancelledKeyException e) {
            // Closed concurrently: the next operation reports it.
        }
    }

    // ------------------------------------------------------------------ operations

    /**
     * Returns a snapshot of the state if {@code dir} is ready; otherwise stores {@code cx}'s
     * waker for {@code dir}, arms interest, and returns {@link #NOT_READY} unless readiness
     * arrived meanwhile.
     *
     * @throws UncheckedIOException if the channel is closed (or its runtime is)
     */
    public int pollReady(Context cx, int dir) {
        int s = (int) STATE.getVolatile(this);
        if ((s & dir) != 0) {
            return s;
        }
        Waker w = cx.waker();
        VarHandle slot = dir == READ ? READ_WAKER : WRITE_WAKER;
        if (slot.getVolatile(this) != w) {
            slot.setVolatile(this, w);
        }
        arm(dir);
        s = (int) STATE.getVolatile(this);
        return (s & dir) != 0 ? s : NOT_READY;
    }

    /**
     * Clears readiness of {@code dir} after an operation would block, unless an event came in
     * since {@code snapshot} (a value returned by {@link #pollReady}).
     */
    public void clearReady(int snapshot, int dir) {
        for (;;) {
            int s = (int) STATE.getVolatile(this);
            if ((s & ~READINESS) != (snapshot & ~READINESS) || (s & dir) == 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s & ~dir)) {
                return;
            }
        }
    }

    /** Forgets {@code waker} if it waits on {@code dir}: the operation that stored it was cancelled. */
    public void dropWaker(int dir, Waker waker) {
        (dir == READ ? READ_WAKER : WRITE_WAKER).compareAndSet(this, waker, null);
    }

    private void arm(int dir) {
        int op = dir == READ ? readOp : writeOp;
        try {
            if ((key.interestOps() & op) == 0) {
                key.interestOpsOr(op);
                driver.wakeup(); // a select in progress would not see the new interest until it returns
            }
        } catch (CancelledKeyException | ClosedSelectorException e) {
            throw new UncheckedIOException(closedError(e));
        }
    }

    private IOException closedError(RuntimeException cause) {
        IOException e = key.channel().isOpen()
                ? new IOException("the runtime that owns this channel is closed")
                : new ClosedChannelException();
        e.initCause(cause);
        return e;
    }

    // ------------------------------------------------------------------ the driver's side

    /** Driver thread only: records readiness, wakes the waiting tasks, disarms what would spin. */
    @Override
    public void onReady(int readyOps) {
        int ready = ((readyOps & readOp) != 0 ? READ : 0) | ((readyOps & writeOp) != 0 ? WRITE : 0);
        if (ready == 0) {
            return;
        }
        int old;
        do {
            old = (int) STATE.getVolatile(this);
        } while (!STATE.compareAndSet(this, old, (old + TICK) | ready));
        int disarm = (ready & old) | (ready & WRITE);
        if (disarm != 0) {
            disarm(disarm);
        }
        if ((ready & READ) != 0) {
            wake(READ_WAKER);
        }
        if ((ready & WRITE) != 0) {
            wake(WRITE_WAKER);
        }
    }

    private void disarm(int dirs) {
        int ops = ((dirs & READ) != 0 ? readOp : 0) | ((dirs & WRITE) != 0 ? writeOp : 0);
        try {
            key.interestOpsAnd(~ops);
            // An operation may have cleared readiness and seen the interest still armed: re-arm
            // for it (we are the selecting thread, so no wake-up is needed).
            int s = (int) STATE.getVolatile(this);
            int rearm = ((dirs & READ) != 0 && (s & READ) == 0 ? readOp : 0)
                    | ((dirs & WRITE) != 0 && (s & WRITE) == 0 ? writeOp : 0);
            if (rearm != 0) {
                key.interestOpsOr(rearm);
            }
        } catch (CancelledKeyException e) {
            // Closed concurrently: its operations fail on their own channel.
        }
    }

    private void wake(VarHandle slot) {
        Waker w = (Waker) slot.getAndSet(this, (Waker) null);
        if (w != null) {
            w.wake();
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the channel, removes it from the selector, and wakes whoever waits on it (they see
     * the channel closed). Idempotent.
     *
     * <p>A registered channel's descriptor (and a listener's port) is released only when the
     * selector next runs. A thread of this runtime that finds the driver free takes it, closes,
     * and runs the selector once itself, so the descriptor goes at once. Otherwise a connection is
     * simply closed: the peer sees the close at once, and the worker in {@code select}
     * deregisters it (and releases the descriptor) on its next pass; waiting for that would put a
     * selector wake-up and a hand-over on every close (a port scanner closes thousands a second).
     * A listener is different, because its port must be free to bind again when {@code close}
     * returns: there the closing worker wakes the selecting one and waits, briefly, to take the
     * driver, and other threads wait, briefly, for the selector to release the channel. A key
     * cancelled while the driver dispatches it is harmless ({@code Driver.dispatch} skips it).
     */
    public void close() throws IOException {
        close(true);
    }

    /**
     * Closes the channel at runtime shutdown, when no worker selects any more: the selector's
     * own close, which follows, releases the descriptor.
     */
    void closeAtShutdown() throws IOException {
        close(false);
    }

    private void close(boolean release) throws IOException {
        SelectableChannel ch = key.channel();
        boolean listener = ch instanceof java.nio.channels.ServerSocketChannel; // TCP and Unix listeners
        boolean locked = release && lockDriverIfOwnRuntime(listener);
        try {
            key.cancel();
            ExecContext.ioInOwnFrame(() -> { // may run on a block's stack: see ExecContext
                ch.close();
                return null;
            });
            if (locked) {
                driver.park(0); // releases the descriptor now, and serves whatever else is ready
            }
        } finally {
            if (locked) {
                driver.unlock();
            }
            wake(READ_WAKER);
            wake(WRITE_WAKER);
        }
        if (release && !locked && listener) {
            awaitDeregistration(ch);
        }
    }

    /** Takes the driver if this is a thread of its runtime: at once, or (for a listener) waiting briefly. */
    private boolean lockDriverIfOwnRuntime(boolean wait) {
        ExecContext ec = ExecContext.current();
        if (ec == null || ec.scheduler.driver != driver || !key.isValid()) {
            return false;
        }
        if (!wait) {
            return driver.tryLock();
        }
        long deadline = System.nanoTime() + DRIVER_LOCK_WAIT_NANOS;
        while (!driver.tryLock()) {
            driver.wakeup();
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.yield(); // the holder may need this CPU to leave select
        }
        return true;
    }

    private void awaitDeregistration(SelectableChannel ch) {
        long deadline = System.nanoTime() + DRIVER_WAIT_NANOS;
        while (ch.isRegistered()) {
            driver.wakeup();
            if (System.nanoTime() - deadline > 0) {
                return; // the holder is slow to run: it releases the channel on its next select
            }
            Thread.onSpinWait();
        }
    }

    /** How long {@link #close()} waits for another thread's select to release a channel. */
    private static final long DRIVER_WAIT_NANOS = 20_000_000;
    /**
     * How long closing a listener waits to take the driver from another worker; normally the
     * holder leaves {@code select} within microseconds.
     */
    private static final long DRIVER_LOCK_WAIT_NANOS = 1_000_000_000;
}
