package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.task.Task;

/**
 * What a worker needs to run tasks, apart from its thread: the local run queue, the LIFO slot,
 * the tick counter and the parker (tokio's {@code Core}). Owned by one {@link Worker} at a time;
 * {@code blockInPlace} hands it to a fresh thread. All fields but the queue's stealable end and
 * the parker are touched only by the owning thread.
 */
final class Core {
    final int index;
    final LocalQueue queue = new LocalQueue();
    /** Thread-per-core mode only: tasks sent to this worker from elsewhere. */
    final InjectQueue inbox;
    final Parker parker;
    /** The task most recently woken by the running task: runs next (if the LIFO cap allows). */
    Task<?> lifo;
    boolean lifoEnabled;
    int tick;
    /** Task polls (LIFO ones included) since the global queue was last looked at first. */
    int pollsSinceGlobal;
    boolean searching;
    /** Inside {@code park}: tasks woken by the driver stay local without waking other workers. */
    boolean parking;
    /** Wakers of tasks that yielded: woken when the worker runs out of ready work. */
    final java.util.ArrayList<dev.eventide.Waker> deferred = new java.util.ArrayList<>();
    /** Waking the deferred tasks: they go to the back of the queue, not the LIFO slot. */
    boolean draining;
    private int seed;

    Core(int index, boolean ownInbox, Driver driver) {
        this.index = index;
        this.inbox = ownInbox ? new InjectQueue() : null;
        this.parker = new Parker(driver);
        this.seed = 0x9E3779B9 * (index + 1);
    }

    boolean hasLocalWork() {
        return lifo != null || !queue.isEmpty();
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
