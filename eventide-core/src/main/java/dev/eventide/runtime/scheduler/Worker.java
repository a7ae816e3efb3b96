package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.RuntimeThread;

/**
 * A platform thread running one event loop of the multi-thread scheduler over the {@link Core}
 * it holds. It gives the core up in {@code blockInPlace}, and then ends once the task it is
 * polling returns. A worker with a {@link Compensator} is temporary: it stands in for a blocked
 * worker and ends when that worker's poll returns.
 */
final class Worker extends RuntimeThread {
    final MultiThreadScheduler scheduler;
    /** The core this thread runs; null once handed to another thread. */
    volatile Core core;
    /** What the blocked-worker monitor samples. */
    final PollProbe probe;
    /** Set on a temporary worker that stands in for a blocked one; null on a regular worker. */
    final Compensator compensator;
    /**
     * This thread has seen the runtime closed between two polls (see
     * {@code Scheduler.awaitCloseSeen}): set once, by this thread.
     */
    volatile boolean closeSeen;

    Worker(MultiThreadScheduler scheduler, Core core, Compensator compensator, String name) {
        // A compensator shares its index with the worker it stands in for, which may register
        // tasks too: it uses the shared shard, since a worker's shard has a single writer.
        super(scheduler.threadGroup(), name, scheduler, core.index,
                compensator == null ? core.index : scheduler.foreignShard());
        this.scheduler = scheduler;
        this.core = core;
        this.compensator = compensator;
        this.probe = new PollProbe(this, context);
    }

    @Override
    public void run() {
        probe.nativeTid = CpuDemand.currentNativeTid();
        scheduler.runHook(scheduler.config.onThreadStart(), this);
        try {
            scheduler.runWorker(this);
        } finally {
            scheduler.runHook(scheduler.config.onThreadStop(), this);
            scheduler.workerExited(this);
        }
    }
}
