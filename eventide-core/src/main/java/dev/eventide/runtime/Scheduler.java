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
 * <p>Spawning: the new task is added to the registry <em>before</em> the closed flag is read,
 * and {@code close()} sets the flag before it walks the registry, so every task is either
 * refused at spawn or cancelled by shutdown (or both, harmlessly).
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
     * @param registryShards shards of the live-task registry: one per worker, plus one shared
     * @param workersPruneForeign whether the workers prune the shared shard (see
     *        {@link TaskRegistry#pruneForeignIfDue})
     */
    protected Scheduler(RuntimeConfig config, int registryShards, boolean workersPruneForeign) {
        this.config = config;
        this.driver = new Driver(config.startPaused());
        this.blockingPool = new BlockingPool(config);
        this.registry = new TaskRegistry(registryShards, workersPruneForeign);
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

    /** {@link #registryShard}'s answer for a caller whose spawns are registered late (see {@link #spawn}). */
    protected static final int REGISTER_LATE = -1;

    /**
     * The registry shard for the tasks {@code caller} (the calling thread) spawns or takes from a
     * shared queue; {@link #REGISTER_LATE} if its spawns go to a shared queue whose consumers
     * register them ({@code InjectQueue}).
     */
    protected abstract int registryShard(Thread caller);

    /** Hook: a task of this scheduler completed. */
    public void taskCompleted(Task<?> task) {
    }

    /**
     * Completes as cancelled the tasks spawned from outside that still wait, unregistered, in a
     * shared queue ({@code InjectQueue#cancelUnregistered}).
     */
    protected abstract void cancelQueuedSpawns();

    /**
     * Binds a new task to this runtime and queues it; the task is cancelled if the runtime is closed.
     *
     * <p>A task spawned from inside (a worker's thread) is registered at once, in the worker's
     * shard of the registry. One spawned from outside is not: it is pushed to a shared queue,
     * and the worker that takes it registers it ({@link #registerLate}), off the spawning thread,
     * which often feeds the whole runtime (workload W1) and would otherwise pay a CAS on the
     * shared shard and a counter per task. The close walks the registry, then those queues,
     * cancelling what is still queued there; a spawn that sees the close only after its push
     * does the same for its own task.
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
        int shard = registryShard(caller);
        if (shard == REGISTER_LATE) {
            return spawnFromOutside(task, caller);
        }
        registry.add(task, shard); // a CAS: with the volatile read of closed below, the Dekker pair
        if (FlightRecorder.isInitialized()) { // one load; keeps the event code out of the hot path
            recordSpawn(task, shard);
        }
        if (closed) {
            task.cancelUnscheduled();
        } else {
            scheduleSpawned(task, caller);
        }
        return task;
    }

    private <T> Task<T> spawnFromOutside(Task<T> task, Thread caller) {
        if (closed) {
            task.cancelUnscheduled();
            return task;
        }
        TaskRegistry.markUnregistered(task);
        if (FlightRecorder.isInitialized()) {
            recordSpawn(task, registry.foreignShard());
        }
        // The push is a CAS: with the read of closed below, the Dekker pair with closeAndAbortAll,
        // which sets closed before it looks at the queues.
        scheduleSpawned(task, caller);
        if (closed) {
            cancelQueuedSpawns(); // this task may have been pushed after the close looked
        }
        return task;
    }

    /**
     * Registers the chain {@code first → … → last} of {@code n} tasks spawned from outside (see
     * {@link TaskRegistry#addChain}) in shard {@code shard}: called by the thread that took them
     * from a shared queue, under the queue's lock. If the runtime has closed, aborts them, so that
     * their first poll cancels them: the close's walk of the registry may have gone by.
     */
    public final void registerLate(Task<?> first, Task<?> last, int n, int shard) {
        registry.addChain(first, last, n, shard); // a CAS: with the read of closed below, the Dekker pair with closeAndAbortAll
        if (closed) {
            Task<?> t = first;
            for (int i = 0; i < n; i++) {
                Task<?> next = TaskRegistry.nextInChain(t);
                t.abort();
                t = next;
            }
        }
    }

    private void recordSpawn(Task<?> task, int shard) {
        TaskSpawnEvent event = new TaskSpawnEvent();
        if (event.shouldCommit()) {
            event.task = task.describe();
            event.worker = shard == registry.foreignShard() ? -1 : shard;
            event.commit();
        }
    }

    public final boolean isClosed() {
        return closed;
    }

    /** Stops accepting tasks and requests cancellation of every live one. */
    protected final void closeAndAbortAll() {
        closed = true;
        VarHandle.fullFence();
        registry.forEachLive(Task::abort);
        cancelQueuedSpawns(); // after the walk: a task taken from its queue meanwhile was registered and aborted
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

    /** Tasks spawned since the runtime started (see {@link RuntimeMetrics#spawnedTasks()}). */
    public final long spawnedTotal() {
        return registry.addedTotal();
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
        return new RuntimeMetrics(workers.size(), registry.liveCount(), registry.addedTotal(), globalQueueDepth,
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
