package dev.eventide.runtime;

import dev.eventide.runtime.blocking.BlockingPool;
import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.task.Task;
import dev.eventide.runtime.task.TaskRegistry;
import dev.eventide.BlockedWorkerIncident;
import dev.eventide.RuntimeMetrics;
import dev.eventide.runtime.observe.TaskSpawnEvent;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;

/**
 * What tasks need from the scheduler that runs them, and what both schedulers (multi-thread
 * and current-thread) share: the driver, the blocking pool, the registry of live tasks and the
 * closed flag.
 *
 * <h2>How the close reaches every task</h2>
 * A task is registered only at the end of its first poll, if that poll did not complete it
 * ({@link TaskRegistry}). So when the close comes, every task that is not complete is in one of
 * three places, and the close reaches each:
 * <ul>
 *   <li><em>registered</em>: the close walks the registry and aborts it, and waits for it to
 *       complete (its next poll delivers the cancellation, so its {@code finally} blocks run);</li>
 *   <li><em>queued for its first poll</em>: the poll that takes it sees the runtime closed
 *       ({@link #taskStarting}) and cancels it instead, without running any of its code (an
 *       abort before the first poll); the close waits until the queues are empty, and what a
 *       spawn from outside pushes to a shared queue after the close looked there, that spawn
 *       cancels itself (it reads the flag after its push: the push is a CAS, the Dekker pair);</li>
 *   <li><em>in its first poll</em>: it is registered when the poll ends, perhaps after the
 *       close's walk went by. A worker registers in its own shard with plain stores; the close
 *       waits until each worker has seen the flag at the start of one of its ticks, and then
 *       walks that worker's shard again ({@link #awaitCloseSeen}): a first poll that ran before
 *       that tick registered before it, and one that runs after it sees the flag. A thread that
 *       registers in a shared shard does so with a CAS and then reads the flag, and if it is set
 *       aborts its task itself.</li>
 * </ul>
 *
 * <p>Resources: files, pipes and children that tasks hold are {@linkplain #registerResource
 * registered} here while open; shutdown closes whatever is left once the tasks have been
 * cancelled (their {@code finally} blocks had the first chance) and before it waits for the
 * blocking pool, so that a blocking job held up by a resource is released.
 */
public abstract class Scheduler {
    public final RuntimeConfig config;
    public final Driver driver;
    public final BlockingPool blockingPool;
    protected final TaskRegistry registry;
    private volatile boolean closed;
    // Open resources; null once closeResources ran. Open and close are slow paths: one lock.
    private final Object resourceLock = new Object();
    private Map<AutoCloseable, Boolean> resources = new IdentityHashMap<>();
    private final List<Consumer<BlockedWorkerIncident>> blockedWorkerListeners = new CopyOnWriteArrayList<>();

    /**
     * @param registryShards shards of the live-task registry: one per worker, plus shared ones
     * @param ownedShards how many of them have a single writer (one per worker; see
     *        {@link TaskRegistry#addOwned})
     */
    protected Scheduler(RuntimeConfig config, int registryShards, int ownedShards) {
        this.config = config;
        this.driver = new Driver(config.startPaused());
        this.blockingPool = new BlockingPool(config);
        this.registry = new TaskRegistry(registryShards, ownedShards);
    }

    /** Queues a task that was just notified; called from any thread (a wake or an abort). */
    public abstract void schedule(Task<?> task);

    /** Queues a task whose poll ended with it notified: a yield, to the back of the queue. */
    public abstract void scheduleYield(Task<?> task);

    /**
     * Wakes {@code waker} later, once this worker has run out of other ready work or at its next
     * maintenance tick (tokio's {@code defer}): how a future yields when its context is not its
     * task's own (a task polled with its own context yields through {@link Task#yieldSelf}).
     * Called from the yielding poll; off a worker of this runtime, wakes at once.
     */
    public abstract void defer(dev.eventide.Waker waker);

    /**
     * Takes a task that yielded and still holds its running bit (see {@link Task}): the
     * scheduler queues it, as it is, when it would have woken a deferred waker. Called by
     * {@link Task#run} at the end of the poll, on the polling thread. Returns false, taking
     * nothing, if this thread can no longer keep deferred work (it gave its worker away); the
     * task then yields the usual way.
     */
    public abstract boolean deferHeld(Task<?> task);

    /**
     * Queues a new task for its first poll; {@code caller} is the calling thread, as
     * {@link ExecContext#currentThread()} read it (once per spawn: the read is not free).
     */
    protected abstract void scheduleSpawned(Task<?> task, Thread caller);

    /** The registry shard of threads that own none (see {@link ExecContext#registryShard}). */
    public final int foreignShard() {
        return registry.foreignShard();
    }

    /** Hook: a task of this scheduler completed. */
    public void taskCompleted(Task<?> task) {
    }

    /**
     * Completes as cancelled the tasks that still wait for their first poll in a shared queue
     * ({@code InjectQueue#cancelUnregistered}): for the close, and for a spawn from outside that
     * saw the close only after its push.
     */
    protected abstract void cancelQueuedSpawns();

    /**
     * Binds a new task to this runtime and queues it; the task is cancelled if the runtime is
     * closed. The task is not registered (see the class documentation): a spawn is an allocation
     * and a push.
     */
    public final <T> Task<T> spawn(Task<T> task) {
        return spawn(task, ExecContext.currentThread());
    }

    /**
     * {@link #spawn(Task)} for a caller that has read {@link ExecContext#currentThread()} already
     * (a call the JIT cannot inline, so worth making once per spawn): {@code caller} must be the
     * calling thread.
     */
    public final <T> Task<T> spawn(Task<T> task, Thread caller) {
        if (closed) {
            task.cancelUnscheduled();
            return task;
        }
        TaskRegistry.markUnregistered(task);
        if (FlightRecorder.isInitialized()) { // one load; keeps the event code out of the hot path
            recordSpawn(task, caller);
        }
        scheduleSpawned(task, caller);
        if (closed) {
            // Pushed to a shared queue after the close looked there? (The push is a CAS: with
            // this read, the Dekker pair with the close, which sets the flag before it looks.) A
            // worker's own queue needs no such care: the close waits for its worker to see the flag.
            cancelQueuedSpawns();
        }
        return task;
    }

    /**
     * The start of {@code task}'s first poll, on the thread whose context is {@code cx}: counts
     * it, and returns false if the runtime has closed, in which case the poll must cancel the
     * task instead of running it (see the class documentation).
     */
    public final boolean taskStarting(Task<?> task, ExecContext cx) {
        registry.countStarted(cx.registryShard);
        return !closed;
    }

    /**
     * Registers {@code task}, whose first poll on the thread of context {@code cx} is ending
     * without completing it; called while that thread still holds the task's running bit.
     */
    public final void registerStarted(Task<?> task, ExecContext cx) {
        int shard = cx.registryShard;
        if (registry.isOwned(shard)) {
            registry.addOwned(task, shard); // the close waits until this worker has seen it
            return;
        }
        registry.add(task, shard); // a CAS: with the read of closed below, the Dekker pair with the close
        if (closed) {
            task.abort(); // its next poll cancels it: the close's walk may have gone by
        }
    }

    private void recordSpawn(Task<?> task, Thread caller) {
        TaskSpawnEvent event = new TaskSpawnEvent();
        if (event.shouldCommit()) {
            ExecContext cx = ExecContext.of(caller);
            event.task = task.describe();
            event.worker = cx != null ? cx.workerIndex : -1;
            event.commit();
        }
    }

    public final boolean isClosed() {
        return closed;
    }

    /**
     * Stops accepting tasks and requests cancellation of every live one (see the class
     * documentation); waits until {@code deadline} at most for the threads that own registry
     * shards to see the close. Returns false if they did not in time.
     */
    protected final boolean closeAndAbortAll(long deadline) {
        closed = true;
        VarHandle.fullFence();
        registry.forEachLive(Task::abort);
        cancelQueuedSpawns();
        return awaitCloseSeen(deadline);
    }

    /**
     * Waits until every thread that registers tasks in an owned shard has seen the closed flag
     * between two of its polls, or has ended, and then aborts what it registered in the meantime
     * (its shard's tasks: the walk of the whole registry may have gone by); until
     * {@code deadline}. True if they all did. The default: there are none.
     */
    protected boolean awaitCloseSeen(long deadline) {
        return true;
    }

    /** Aborts every live task registered in shard {@code shard} (for {@link #awaitCloseSeen}). */
    protected final void abortRegisteredIn(int shard) {
        registry.forEachLiveIn(shard, Task::abort);
    }

    /** The number of live tasks (approximate while tasks are being spawned). */
    public final long liveTasks() {
        return registry.liveCount();
    }

    /**
     * Adds a resource to close at shutdown if it is still open then. Returns false, without
     * adding it, if shutdown already closed the resources: the caller must close it itself.
     */
    public final boolean registerResource(AutoCloseable resource) {
        synchronized (resourceLock) {
            if (resources == null) {
                return false;
            }
            resources.put(resource, Boolean.TRUE);
            return true;
        }
    }

    /** Removes a resource that was closed by its owner. */
    public final void deregisterResource(AutoCloseable resource) {
        synchronized (resourceLock) {
            if (resources != null) {
                resources.remove(resource);
            }
        }
    }

    /** Closes every registered resource; called once by {@link #shutdown}. Failures are logged. */
    protected final void closeResources() {
        List<AutoCloseable> open;
        synchronized (resourceLock) {
            if (resources == null) {
                return;
            }
            open = new ArrayList<>(resources.keySet());
            resources = null;
        }
        for (AutoCloseable r : open) {
            try {
                r.close();
            } catch (Exception e) {
                System.getLogger("dev.eventide.runtime").log(System.Logger.Level.WARNING,
                        "closing " + r + " at runtime shutdown failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ observability

    /** Tasks started since the runtime started (see {@link RuntimeMetrics#spawnedTasks()}). */
    public final long spawnedTotal() {
        return registry.startedTotal();
    }

    /** A snapshot of the runtime's counters; see {@link RuntimeMetrics}. */
    public abstract RuntimeMetrics metrics();

    /** The runtime-wide part of a metrics snapshot, around the scheduler's own figures. */
    protected final RuntimeMetrics metrics(long globalQueueDepth, List<RuntimeMetrics.Worker> workers) {
        return metrics(globalQueueDepth, workers, 0, 0);
    }

    /** As {@link #metrics(long, List)}, for a scheduler that compensates for blocked workers. */
    protected final RuntimeMetrics metrics(long globalQueueDepth, List<RuntimeMetrics.Worker> workers,
            int compensatingWorkers, long compensations) {
        return new RuntimeMetrics(workers.size(), registry.liveCount(), registry.startedTotal(), globalQueueDepth,
                workers, blockingPool.threads(), blockingPool.idleThreads(), blockingPool.queueDepth(),
                driver.ioRegistrations(), driver.ioEvents(), driver.time().registered(),
                compensatingWorkers, compensations);
    }

    /**
     * A text dump of every live task: its description and state, and for an async block
     * suspended at an {@code await}, the frames of its suspended stack. A task that is running
     * or queued at the moment it is looked at is listed without frames (its stack is in use or
     * about to be). Walking a suspended block briefly holds its running bit, so a wake that
     * arrives meanwhile is queued when the walk of that one task ends.
     */
    public final String taskDump() {
        StringBuilder sb = new StringBuilder();
        int[] count = {0};
        registry.forEachLive(task -> {
            count[0]++;
            StackTraceElement[] frames = task.inspectIdle(task::suspendedStack);
            sb.append("task ").append(task.describe()).append(" [")
                    .append(frames != null ? "suspended" : task.stateName()).append("]\n");
            if (frames != null) {
                for (StackTraceElement f : frames) {
                    sb.append("\tat ").append(f).append('\n');
                }
            }
        });
        return "Eventide task dump: " + count[0] + " live tasks\n" + sb;
    }

    /** Adds a listener for blocked-worker incidents; see {@code Eventide.addBlockedWorkerListener}. */
    public final void addBlockedWorkerListener(Consumer<BlockedWorkerIncident> listener) {
        blockedWorkerListeners.add(listener);
    }

    /** Removes a listener added with {@link #addBlockedWorkerListener}; false if it was not there. */
    public final boolean removeBlockedWorkerListener(Consumer<BlockedWorkerIncident> listener) {
        return blockedWorkerListeners.remove(listener);
    }

    /**
     * Reports an incident: logs it at {@code WARNING} and tells the listeners. A failing listener
     * is logged and does not keep the others from hearing of it.
     */
    public final void reportBlockedWorker(BlockedWorkerIncident incident) {
        System.Logger log = System.getLogger("dev.eventide.runtime");
        log.log(System.Logger.Level.WARNING, incident.toString());
        for (Consumer<BlockedWorkerIncident> l : blockedWorkerListeners) {
            try {
                l.accept(incident);
            } catch (RuntimeException | Error e) {
                log.log(System.Logger.Level.WARNING, "a blocked-worker listener failed", e);
            }
        }
    }

    /** Shuts the runtime down; see {@code Eventide.shutdownTimeout}. Returns false on timeout. */
    public abstract boolean shutdown(long timeoutNanos);
}
