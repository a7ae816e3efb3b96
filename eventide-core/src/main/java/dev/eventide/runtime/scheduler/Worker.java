package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.RuntimeThread;

/**
 * A platform thread running one event loop of the multi-thread scheduler over the {@link Core}
 * it holds. It gives the core up in {@code blockInPlace}, and then ends once the task it is
 * polling returns.
 */
final class Worker extends RuntimeThread {
    final MultiThreadScheduler scheduler;
    /** The core this thread runs; null once handed to another thread. */
    volatile Core core;

    Worker(MultiThreadScheduler scheduler, Core core, String name) {
        super(scheduler.threadGroup(), name, scheduler, core.index);
        this.scheduler = scheduler;
        this.core = core;
    }

    @Override
    public void run() {
        scheduler.runHook(scheduler.config.onThreadStart(), this);
        try {
            scheduler.runWorker(this);
        } finally {
            scheduler.runHook(scheduler.config.onThreadStop(), this);
            scheduler.workerExited(this);
        }
    }
}
