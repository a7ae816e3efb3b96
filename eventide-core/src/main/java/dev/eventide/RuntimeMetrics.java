package dev.eventide;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a runtime's counters and queue depths, from {@link Eventide#metrics()}.
 *
 * <p>The counters are kept per worker as plain fields that only the owning worker writes, and
 * are summed when the snapshot is taken, so keeping them costs the hot paths an increment and
 * no fence (the runtime's metrics are always on). The price is that a snapshot is not atomic: a
 * value may be a few operations old, and two values taken from a busy runtime need not agree
 * exactly with each other. Counters only grow, so differences between two snapshots are rates.
 *
 * @param workers              worker threads (1 for a current-thread runtime)
 * @param aliveTasks           tasks that have run and not yet completed: a task counts from the
 *                             end of its first poll, if that did not complete it. Most tasks
 *                             complete in their first poll, and keeping them out of the list of
 *                             live tasks spares every spawn a write into it; tasks waiting for
 *                             their first poll are in the queue depths
 * @param spawnedTasks         tasks spawned since the runtime started, counted when their first
 *                             poll starts (a task cancelled by the close before it ever ran is
 *                             not counted)
 * @param globalQueueDepth     tasks in the global (injection) queue, or in the workers' inboxes
 *                             for a thread-per-core runtime, or the remote queue of a
 *                             current-thread runtime
 * @param perWorker            one entry per worker, by index
 * @param blockingThreads      threads of the blocking pool alive now
 * @param blockingIdleThreads  of those, the ones waiting for a job
 * @param blockingQueueDepth   blocking jobs waiting for a thread
 * @param ioRegistrations      channels registered with the reactor
 * @param ioEvents             readiness events the reactor has dispatched
 * @param pendingTimers        timers registered and not yet fired or cancelled
 * @param compensatingWorkers  temporary workers running now in place of blocked ones (see
 *                             {@code Eventide.Builder.compensationThreshold}); not in {@code workers}
 * @param compensations        compensating workers started since the runtime started
 */
public record RuntimeMetrics(
        int workers,
        long aliveTasks,
        long spawnedTasks,
        long globalQueueDepth,
        List<Worker> perWorker,
        int blockingThreads,
        int blockingIdleThreads,
        int blockingQueueDepth,
        long ioRegistrations,
        long ioEvents,
        long pendingTimers,
        int compensatingWorkers,
        long compensations) {

    /** Copies {@code perWorker}, so the snapshot is immutable. */
    public RuntimeMetrics {
        perWorker = List.copyOf(Objects.requireNonNull(perWorker, "perWorker"));
    }

    /** Task polls summed over the workers. */
    public long totalPolls() {
        return perWorker.stream().mapToLong(Worker::polls).sum();
    }

    /** Steals summed over the workers. */
    public long totalSteals() {
        return perWorker.stream().mapToLong(Worker::steals).sum();
    }

    /**
     * One worker's counters.
     *
     * @param index            the worker's index (its thread is named {@code prefix-index} at start)
     * @param localQueueDepth  tasks in its local run queue (and LIFO slot)
     * @param polls            task polls it ran
     * @param steals           times it stole work from another worker
     * @param parks            times it parked for lack of work
     * @param busyTime         time since it started that it was not parked
     */
    public record Worker(int index, int localQueueDepth, long polls, long steals, long parks, Duration busyTime) {
        /** Checks that {@code busyTime} is present. */
        public Worker {
            Objects.requireNonNull(busyTime, "busyTime");
        }
    }
}
