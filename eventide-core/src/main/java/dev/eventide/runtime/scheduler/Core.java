package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a worker needs to run tasks, apart from its thread: the local run queue, the LIFO slot,
 * the tick counter and the parker (tokio's {@code Core}). Owned by one {@link Worker} at a time;
 * {@code blockInPlace} hands it to a fresh thread. All fields but the queue's stealable end, the
 * LIFO slot (when {@linkplain #rescuableLifo rescuable}) and the parker are touched only by the
 * owning thread.
 */
final class Core {
    private static final VarHandle LIFO;
    private static final VarHandle RESCUER;

    static {
        try {
            LIFO = MethodHandles.lookup().findVarHandle(Core.class, "lifo", Task.class);
            RESCUER = MethodHandles.lookup().findVarHandle(Core.class, "rescuer", Parker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;
    final LocalQueue queue = new LocalQueue();
    /** Thread-per-core mode only: tasks sent to this worker from elsewhere (shared with a rescuer). */
    final InjectQueue inbox;
    final Parker parker;
    /**
     * The task most recently woken by the running task: runs next (if the LIFO cap allows).
     * Accessed only through {@link #swapLifo} and {@link #takeLifo}.
     */
    @SuppressWarnings("unused") // reached through LIFO as well
    private Task<?> lifo;
    /**
     * Whether a {@linkplain Compensator rescuer} may take the LIFO task while the owner is blocked:
     * then the owner exchanges the slot atomically (an {@code xchg}) instead of with plain
     * stores, so that the task is taken by exactly one of them (Go's {@code runnext} slot works
     * the same way: its owner and its stealers both CAS it). No cheaper protocol exists: the
     * owner may touch the slot at any moment of a blocked poll (a task that blocks may still
     * spawn), so the two sides need a store-load order on every use. False when compensation is
     * off.
     */
    private final boolean rescuableLifo;
    /**
     * The parker of the {@link Compensator} rescuing this core while its worker is blocked, or
     * null: pushes onto this core's queues wake it.
     */
    volatile Parker rescuer;

    /**
     * Unregisters {@code retiring} as this core's rescuer, unless a newer compensator (for a
     * newer blocked poll) has registered since.
     */
    void clearRescuer(Parker retiring) {
        RESCUER.compareAndSet(this, retiring, null);
    }
    boolean lifoEnabled;
    /** Ticks until the next maintenance pass (a countdown: no division per tick). */
    private int ticksToMaintenance;
    private final int eventInterval;
    /** When the worker last polled the driver in maintenance ({@code System.nanoTime()}). */
    long lastDriverPoll;
    /** How often this worker looks at the global queue first. */
    final GlobalQueueInterval globalQueueInterval;
    boolean searching;
    /** Inside {@code park}: tasks woken by the driver stay local without waking other workers. */
    boolean parking;
    /** Wakers deferred by polls (of other contexts than the polled task's own): woken when the worker runs out of ready work. */
    final java.util.ArrayList<dev.eventide.Waker> deferred = new java.util.ArrayList<>();
    /** Tasks that yielded themselves and are {@linkplain Task#isHeld held}: queued as they are, at the same moments. */
    final java.util.ArrayList<Task<?>> yielded = new java.util.ArrayList<>();
    /** Waking the deferred tasks: they go to the back of the queue, not the LIFO slot. */
    boolean draining;
    private int seed;

    // Metrics (see RuntimeMetrics): plain fields written only by the owning thread and read racily
    // by Eventide.metrics(), so counting costs an increment and no fence. A reader may see a value
    // a few increments old; longs do not tear on the 64-bit JVMs the runtime supports.
    /** Tasks polled (LIFO polls included). */
    long polls;
    /** Successful steals from another worker's queue. */
    long steals;
    /** Times the worker parked. */
    long parks;
    /** Total time parked, in nanoseconds, not counting the park in progress. */
    long parkedNanos;
    /** When the park in progress began ({@code System.nanoTime()}), or 0 when not parked. */
    long parkedSince;
    /** When the core started, for busy time. */
    final long startNanos = System.nanoTime();

    Core(int index, InjectQueue inbox, Driver driver, boolean rescuableLifo, int globalQueueInterval, int eventInterval) {
        this.index = index;
        this.eventInterval = eventInterval;
        this.ticksToMaintenance = eventInterval;
        this.globalQueueInterval = new GlobalQueueInterval(globalQueueInterval);
        this.inbox = inbox;
        this.parker = new Parker(driver);
        this.rescuableLifo = rescuableLifo;
        this.seed = 0x9E3779B9 * (index + 1);
    }

    /** Counts a tick; true on every {@code eventInterval}-th, when maintenance is due. */
    boolean tickMaintenanceDue() {
        if (--ticksToMaintenance > 0) {
            return false;
        }
        ticksToMaintenance = eventInterval;
        return true;
    }

    /** Whether yielded tasks or deferred wakers wait for the worker to run out of other work. */
    boolean hasDeferred() {
        return !yielded.isEmpty() || !deferred.isEmpty();
    }

    boolean hasLocalWork() {
        return peekLifo() != null || !queue.isEmpty();
    }

    /** The LIFO task, without taking it (racy for other threads, exact for the owner). */
    Task<?> peekLifo() {
        return (Task<?>) LIFO.getOpaque(this);
    }

    /** Owner only: puts {@code task} in the LIFO slot and returns the task it displaces, or null. */
    Task<?> swapLifo(Task<?> task) {
        if (rescuableLifo) {
            return (Task<?>) LIFO.getAndSet(this, task);
        }
        Task<?> prev = lifo;
        lifo = task;
        return prev;
    }

    /** Takes the LIFO task, or returns null; the owner, or any thread if the slot is rescuable. */
    Task<?> takeLifo() {
        if (rescuableLifo) {
            return LIFO.getOpaque(this) == null ? null : (Task<?>) LIFO.getAndSet(this, (Task<?>) null);
        }
        Task<?> t = lifo;
        if (t == null) {
            return null;
        }
        lifo = null;
        return t;
    }

    /** A pseudo-random int in [0, bound), for choosing where to start stealing. */
    int nextRandom(int bound) {
        int x = seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        seed = x;
        return Math.floorMod(x, bound);
    }
}
