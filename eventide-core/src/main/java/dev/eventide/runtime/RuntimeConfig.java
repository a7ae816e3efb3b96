package dev.eventide.runtime;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Everything a runtime is built with; produced by {@code Eventide.Builder}, which validates it.
 *
 * @param currentThread      single-threaded runtime driven by {@code blockOn}
 * @param workerThreads      number of workers (multi-thread only)
 * @param workStealing       false: thread-per-core, tasks stay on the worker they were spawned on
 * @param maxBlockingThreads bound of the elastic blocking pool
 * @param blockingKeepAlive  how long an idle blocking thread lives
 * @param threadNamePrefix   worker threads are named prefix-N, blocking threads prefix-blocking-N
 * @param onThreadStart      called on every runtime thread (worker or blocking) when it starts
 * @param onThreadStop       called on every runtime thread just before it ends
 * @param eventInterval      ticks between non-blocking polls of the I/O and timer driver
 * @param globalQueueInterval ticks between checks of the global queue ahead of the local one;
 *                           0: adaptive (multi-thread), 31 (current-thread)
 * @param lifoSlot           whether a task woken by the running task runs next on the same worker
 * @param startPaused        start with the virtual clock paused (tests)
 * @param shutdownTimeout    how long {@code close()} waits for tasks and blocking threads
 * @param blockedWorkerThreshold a task poll longer than this is reported as a blocked worker;
 *                           zero: no detector (multi-thread only)
 * @param compensationThreshold a worker blocked in one poll for longer than this gets a
 *                           temporary replacement that runs the tasks queued behind it; zero:
 *                           no compensation (multi-thread only)
 * @param spinBeforePark     how long a worker that ran out of work keeps looking for more
 *                           before it parks; zero: it parks at once (multi-thread only)
 */
public record RuntimeConfig(
        boolean currentThread,
        int workerThreads,
        boolean workStealing,
        int maxBlockingThreads,
        Duration blockingKeepAlive,
        String threadNamePrefix,
        Consumer<Thread> onThreadStart,
        Consumer<Thread> onThreadStop,
        int eventInterval,
        int globalQueueInterval,
        boolean lifoSlot,
        boolean startPaused,
        Duration shutdownTimeout,
        Duration blockedWorkerThreshold,
        Duration compensationThreshold,
        Duration spinBeforePark) {
}
