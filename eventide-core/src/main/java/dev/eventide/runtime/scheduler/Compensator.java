package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.observe.CompensationEvent;
import dev.eventide.runtime.task.Task;
import java.util.concurrent.TimeUnit;

/**
 * A temporary worker that runs the tasks stuck behind a blocked worker: compensation for a
 * task that blocks its worker thread (a JDBC call, {@code Thread.sleep}, a long computation).
 *
 * <h2>Why it rescues instead of taking the core over</h2>
 * {@code blockInPlace} hands a worker's {@link Core} to a fresh thread, which is safe because
 * the blocking thread asks for it itself and never touches the core again. A worker found
 * blocked by the {@link BlockedWorkerMonitor} has not asked: the task it polls may still spawn
 * or wake tasks at any moment, which pushes onto its core's single-producer queue, so moving
 * ownership behind its back would need a handshake on every spawn. Instead the compensator gets
 * a fresh core of its own and <em>rescues</em> the blocked core's work through the operations
 * that other threads may already use: it steals half the local queue, takes the LIFO slot with
 * an atomic exchange (while compensation is enabled the owner exchanges the slot atomically
 * too: see {@link Core#swapLifo}), and pops the global queue (or, for a thread-per-core
 * runtime, the blocked worker's inbox, which the fresh core shares). The blocked core keeps its
 * owner; whatever is pushed onto it later wakes the compensator through {@link Core#rescuer}.
 * Tasks the compensator polls spawn and wake onto its own core, as on any worker.
 *
 * <h2>Lifetime</h2>
 * The monitor starts one when a poll has run past the compensation threshold (at most one per
 * blocked poll, and at most as many at once as the runtime has workers). It retires as soon as
 * it sees the blocked poll end: it checks between its own polls, and when it has nothing to run
 * it parks until the blocked worker, ending any poll while a rescuer is registered on its core,
 * unparks it (see {@code MultiThreadScheduler.poll}), or a push onto the blocked core does; an
 * idle compensator costs no wake-ups while the worker stays blocked. A safety timeout of
 * {@value #PARK_MILLIS} ms covers the ways a poll can end without that wake (the blocked thread
 * giving its core away in {@code blockInPlace}). It then gives back every task it still holds
 * (to the global queue, or the owner's inbox), wakes the workers so that one of them takes the
 * driver it may have been waiting in, and ends, so the number of threads running tasks
 * exceeds the configured worker count only while a poll is blocked, plus at most one poll of
 * the compensator's. If a compensator's own poll blocks, the monitor compensates for it in
 * turn, within the same bound.
 *
 * <h2>What it does not rescue</h2>
 * Tasks that yielded on the blocked worker before it blocked wait in that worker's deferred
 * list, which only its owner can touch; they run when the blocked poll returns.
 */
final class Compensator {
    /**
     * Longest park between checks of whether the blocked poll is over, for the rare ends of it
     * that do not unpark us; normally the blocked worker does.
     */
    static final long PARK_MILLIS = 50;

    private final MultiThreadScheduler scheduler;
    private final Worker blockedWorker;
    private final Core blockedCore;
    private final long blockedSeq;
    /** The compensator's own core: same index as the blocked one, its own queue. */
    final Core core;
    private final CompensationEvent event = new CompensationEvent();
    private int rescued;
    private int parks;

    Compensator(MultiThreadScheduler scheduler, Worker blockedWorker, Core blockedCore, long blockedSeq, Core core) {
        this.scheduler = scheduler;
        this.blockedWorker = blockedWorker;
        this.blockedCore = blockedCore;
        this.blockedSeq = blockedSeq;
        this.core = core;
        event.begin();
    }

    /** Whether the poll we compensate for is still running on the core we rescue from. */
    private boolean blockedStill() {
        return blockedWorker.probe.seq() == blockedSeq && blockedWorker.core == blockedCore;
    }

    /** The compensator's loop, on its own {@link Worker} thread. */
    void run(Worker worker) {
        ExecContext cx = worker.context;
        int[] count = new int[1];
        try {
            while (!scheduler.isTerminated() && blockedStill()) {
                scheduler.noteClose(worker);
                if (core.tickMaintenanceDue()) {
                    scheduler.maintenance(core);
                }
                Task<?> task = next(count);
                if (task != null) {
                    scheduler.runTask(worker, core, cx, task);
                } else if (core.hasDeferred()) {
                    scheduler.maintenance(core);
                } else {
                    park();
                }
            }
        } finally {
            retire(worker);
        }
    }

    /** Our own tasks first, then the blocked core's (LIFO slot first), then the remote queue. */
    private Task<?> next(int[] count) {
        Task<?> t = MultiThreadScheduler.nextLocalTask(core);
        if (t != null) {
            return t;
        }
        t = blockedCore.takeLifo();
        if (t == null) {
            t = blockedCore.queue.stealInto(core.queue);
        }
        if (t != null) {
            rescued += 1 + core.queue.len();
            return t;
        }
        return scheduler.nextTask(core, count);
    }

    private void park() {
        parks++;
        core.parking = true; // tasks the driver wakes while we wait in it stay with us
        try {
            core.parker.park(TimeUnit.MILLISECONDS.toNanos(PARK_MILLIS));
        } finally {
            core.parking = false;
        }
    }

    /** Stops rescuing and gives back every task this core still holds. */
    private void retire(Worker worker) {
        blockedCore.clearRescuer(core.parker);
        worker.core = null; // from here on, wakes on this thread go to the remote queue
        for (int i = 0; i < core.deferred.size(); i++) {
            core.deferred.get(i).wake();
        }
        core.deferred.clear();
        int handedBack = 0;
        for (int i = 0; i < core.yielded.size(); i++) {
            scheduler.handBack(blockedCore, core.yielded.get(i)); // held: queued as it is
            handedBack++;
        }
        core.yielded.clear();
        for (Task<?> t = MultiThreadScheduler.nextLocalTask(core); t != null; t = MultiThreadScheduler.nextLocalTask(core)) {
            scheduler.handBack(blockedCore, t);
            handedBack++;
        }
        scheduler.compensatorRetired(this);
        event.end();
        if (event.shouldCommit()) {
            event.blockedWorker = blockedWorker.getName();
            event.compensator = worker.getName();
            event.tasksRescued = rescued;
            event.tasksPolled = core.polls;
            event.tasksHandedBack = handedBack;
            event.parks = parks;
            event.commit();
        }
    }
}
