package dev.eventide.runtime.scheduler;

import dev.eventide.RuntimeMetrics;
import dev.eventide.Waker;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.RuntimeConfig;
import dev.eventide.runtime.Scheduler;
import dev.eventide.runtime.observe.StealEvent;
import dev.eventide.runtime.task.Task;
import dev.eventide.runtime.task.TaskRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;

/**
 * The multi-thread, work-stealing scheduler (DESIGN §4; tokio's {@code multi_thread}).
 *
 * <h2>Structure</h2>
 * One {@link Core} per worker: a bounded local queue ({@link LocalQueue}, 256 slots) and a LIFO
 * slot. One global {@link InjectQueue} for tasks spawned or woken off the workers and for
 * local-queue overflow. {@link Idle} counts parked and searching workers; each core has a
 * {@link Parker}. Parked {@link HandleSpacers spacer} threads are started between the workers,
 * so that the JVM's per-thread handles of two workers never share a cache line.
 *
 * <h2>Scheduling policy</h2>
 * A task spawned or woken by the running task goes to the LIFO slot and runs next on the same
 * worker, which keeps message-passing pairs on one core with hot caches; the task it displaces
 * goes to the back of the local queue. At most {@value #MAX_LIFO_POLLS_PER_TICK} LIFO polls
 * follow one task, then the slot is disabled for the rest of the tick, so a ping-pong pair cannot
 * starve the queue (tokio before 1.29 had no cap and starves remote spawns in workload W3b); and
 * none while work from outside waits in the global queue and nothing else is queued here: the
 * LIFO task then goes to the back of the global queue, whose turn comes at the next tick, so the
 * waiting work runs first, in the order it came, as on a FIFO runtime (a chain of spawns would
 * otherwise keep it waiting, W3b). A
 * task that yields is <em>deferred</em> (tokio 1.53's policy): its waker is kept aside and woken
 * onto the back of the local queue only when the worker has run out of other ready work, or at
 * the next maintenance tick, so tasks that yield in a loop do not keep the local queue full and
 * remote work waiting (workload W3a); a worker whose queue is empty queues its yielded tasks
 * again before it steals, since they are its own ready work. Every few ticks (a tick runs one
 * task and its LIFO successors) a worker takes from the global queue first, so remote work is not starved by local
 * work; how many ticks adapts to the time a tick takes ({@link GlobalQueueInterval}, tokio
 * 1.53, with a target of 50 µs), so that remote work waits about 50 µs at most. Then, and whenever its own queue is
 * empty, a worker takes a fair share of the global queue in one batch (tokio takes one task at
 * its turn). Every {@code eventInterval} ticks it polls the driver without blocking (at most once
 * per {@value #DRIVER_POLL_FLOOR_NANOS} ns).
 *
 * <h2>Work stealing</h2>
 * A worker out of work becomes a <em>searcher</em> (at most half the workers at once), tries to
 * steal half of another worker's queue, starting at a random victim, then the global queue. A
 * searcher that finds work, if it was the last searcher and more work is in sight, wakes one
 * parked worker, which searches in turn: wake-ups ripple through the pool instead of stampeding,
 * and a lone task (a chain of spawns running on one worker, workload W6) wakes nobody. With
 * {@code workStealing(false)} there is no stealing and no global queue: each worker has an inbox,
 * tasks stay on the worker that spawned them (tasks spawned from outside are dealt round-robin).
 *
 * <h2>Parking</h2>
 * A worker with nothing to do parks; the first to park holds the driver and waits in the
 * selector until the next timer deadline; see {@link Parker} and {@link Idle} for why no wake-up
 * is lost. A searching worker first spins for {@code spinBeforePark} ({@link #spinForWork}):
 * work that arrives meanwhile costs nobody a wake-up.
 *
 * <h2>Observability</h2>
 * Each core counts its polls, steals and parks in plain fields only its worker writes (summed,
 * racily, by {@link #metrics()}); busy time is measured around parks, never per poll. Each
 * worker bumps a poll sequence number at the start and end of every poll (one opaque store
 * each), which the {@link BlockedWorkerMonitor} samples to find a worker stuck in one poll.
 *
 * <h2>Shutdown</h2>
 * Close the runtime to new tasks, abort every live task, let the workers run the cancellations
 * (so {@code finally} blocks run) until all tasks completed or the timeout passed, then stop the
 * workers, the blocking pool and the driver.
 */
public final class MultiThreadScheduler extends Scheduler {
    /** LIFO polls allowed after one task per tick (tokio's {@code MAX_LIFO_POLLS_PER_TICK}). */
    static final int MAX_LIFO_POLLS_PER_TICK = 3;

    private final Core[] cores;
    private final InjectQueue inject;
    private final Idle idle;
    private final boolean stealing;
    private final ThreadGroup threadGroup;
    private final Set<Worker> threads = ConcurrentHashMap.newKeySet();
    private final HandleSpacers spacers = new HandleSpacers();
    /** The probes of the live workers, for the monitor. */
    private final Set<PollProbe> probes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadCounter = new AtomicInteger();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile boolean terminated;
    /** The blocked-worker detector and compensation trigger; null when both are off. */
    private final BlockedWorkerMonitor monitor;
    /** Compensators running now (see {@link Compensator}). */
    private final Set<Compensator> compensators = ConcurrentHashMap.newKeySet();
    private final AtomicInteger compensatorCount = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong compensationsTotal = new java.util.concurrent.atomic.AtomicLong();
    /** How long a worker looks for work before it parks (see {@link #spinForWork}). */
    private final long spinNanos;

    public MultiThreadScheduler(RuntimeConfig config) {
        super(config, config.workerThreads() + 1, config.workerThreads()); // a shard per worker, one shared
        int n = config.workerThreads();
        this.stealing = config.workStealing();
        this.spinNanos = config.spinBeforePark().toNanos();
        this.cores = new Core[n];
        boolean compensation = !config.compensationThreshold().isZero();
        for (int i = 0; i < n; i++) {
            cores[i] = new Core(i, stealing ? null : new InjectQueue(), driver, compensation,
                    config.globalQueueInterval(), config.eventInterval());
        }
        this.inject = stealing ? new InjectQueue() : null;
        this.idle = new Idle(n);
        this.threadGroup = new ThreadGroup(config.threadNamePrefix());
        driver.setIdleProbe(this::isIdle);
        this.monitor = !BlockedWorkerMonitor.needed(config.blockedWorkerThreshold(), config.compensationThreshold())
                ? null
                : new BlockedWorkerMonitor(this, probes, config.blockedWorkerThreshold(),
                        config.compensationThreshold(), compensation ? this::compensate : null,
                        this::attendDriver, config.threadNamePrefix() + "-monitor");
    }

    /**
     * Whether no task can run anywhere and no blocking job is in flight: the condition for the
     * virtual clock to jump to the next timer. Only the work-stealing runtime tracks parked
     * workers; a thread-per-core runtime never reports idle (its paused clock moves only by
     * {@code Time.advance}). A task queued in the instant of the check can make it wrong, which
     * at worst advances virtual time while that task is about to run.
     */
    private boolean isIdle() {
        if (!stealing || compensatorCount.get() != 0) {
            return false;
        }
        // Queues first, then the parked count: a worker that the driver just gave tasks (in its
        // LIFO slot or queue, written before it released the driver lock we now hold) still
        // counts as parked until it takes them, and it counts itself unparked before it does.
        // Then the blocking pool, then the queues and the parked count again: a job that ends
        // wakes its task (pushes it, and unparks a worker, counting it unparked) before its
        // thread counts itself idle, so a job that ended after our first looks left its task in
        // a queue, or a worker awake to run it, where the second looks find them.
        return queuesEmpty() && idle.allParked() && !blockingPool.isBusy() && queuesEmpty() && idle.allParked();
    }

    /**
     * Whether no task waits in any queue: the global queue or the inboxes, the workers' local
     * queues and LIFO slots, the compensators' (racy reads; exact for a quiet runtime).
     */
    private boolean queuesEmpty() {
        for (Core c : cores) {
            // isEmpty, not len(): a push counts itself after it links the task
            if (c.hasLocalWork() || !remoteQueue(c).isEmpty()) {
                return false;
            }
        }
        for (Compensator c : compensators) {
            if (c.core.hasLocalWork()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts one worker thread per core, with a {@linkplain HandleSpacers spacer} thread before
     * each and after the last, so that no two workers share the cache line of the JVM's
     * per-thread handles.
     */
    public void start() {
        String prefix = config.threadNamePrefix() + "-spacer-";
        for (int i = 0; i < cores.length; i++) {
            spacers.startOne(threadGroup, prefix + i);
            startWorker(cores[i]);
        }
        spacers.startOne(threadGroup, prefix + cores.length);
        if (monitor != null) {
            monitor.start();
        }
    }

    private void startWorker(Core core) {
        startWorker(core, null, config.threadNamePrefix() + "-" + threadCounter.getAndIncrement());
    }

    private void startWorker(Core core, Compensator compensator, String name) {
        Worker w = new Worker(this, core, compensator, name);
        core.parker.thread = w;
        threads.add(w);
        probes.add(w.probe);
        w.start();
    }

    ThreadGroup threadGroup() {
        return threadGroup;
    }

    public int workers() {
        return cores.length;
    }

    // ------------------------------------------------------------------ scheduling

    /**
     * The core of the calling thread if it is a worker of this runtime holding one, else null.
     * Safe on a block's stack (see {@link ExecContext#currentThread()}).
     */
    private Core localCore() {
        return coreOf(ExecContext.currentThread());
    }

    /** The core {@code caller} (the calling thread) holds, if it is a worker of this runtime. */
    private Core coreOf(Thread caller) {
        return caller instanceof Worker w && w.scheduler == this ? w.core : null;
    }

    /** {@link #localCore()} for the worker loop's own frames, which never run on a continuation. */
    private Core carrierCore() {
        return Thread.currentThread() instanceof Worker w && w.scheduler == this ? w.core : null;
    }

    @Override
    public void schedule(Task<?> task) {
        scheduleTask(task, false, localCore());
    }

    @Override
    public void scheduleYield(Task<?> task) {
        // Called by Task.run on the worker that polled the task, off the block's stack.
        scheduleTask(task, true, carrierCore());
    }

    @Override
    protected void scheduleSpawned(Task<?> task, Thread caller) {
        Core core = coreOf(caller);
        if (!stealing) {
            task.owner = (short) (core != null ? core.index : Math.floorMod(roundRobin.getAndIncrement(), cores.length));
        }
        scheduleTask(task, false, core);
    }

    @Override
    protected void cancelQueuedSpawns() {
        if (stealing) {
            inject.cancelUnregistered();
        } else {
            for (Core c : cores) {
                c.inbox.cancelUnregistered();
            }
        }
    }

    private void scheduleTask(Task<?> task, boolean isYield, Core core) {
        if (core != null && (stealing || task.owner == core.index)) {
            scheduleLocal(core, task, isYield);
        } else if (stealing) {
            inject.push(task);
            notifyParked();
        } else {
            Core owner = cores[task.owner];
            owner.inbox.push(task);
            owner.parker.unpark();
            wakeRescuer(owner);
        }
    }

    /** Wakes the compensator rescuing {@code core}, if there is one. */
    private static void wakeRescuer(Core core) {
        Parker rescuer = core.rescuer;
        if (rescuer != null) {
            rescuer.unpark();
        }
    }

    private void scheduleLocal(Core core, Task<?> task, boolean isYield) {
        boolean shouldNotify;
        if (isYield || !core.lifoEnabled || core.draining) {
            core.queue.pushBack(task, overflow(core));
            shouldNotify = true;
        } else {
            Task<?> prev = core.swapLifo(task);
            if (prev != null) {
                core.queue.pushBack(prev, overflow(core));
            }
            shouldNotify = prev != null;
        }
        if (shouldNotify && !core.parking && stealing) {
            notifyParked();
        }
        wakeRescuer(core); // its owner may be blocked in this very poll
    }

    @Override
    public void defer(Waker waker) {
        if (ExecContext.currentThread() instanceof Worker w && w.scheduler == this && w.core != null) {
            w.core.deferred.add(waker);
        } else {
            waker.wake();
        }
    }

    @Override
    public boolean deferHeld(Task<?> task) {
        Core core = carrierCore(); // Task.run's frame, off any block's stack
        if (core == null) {
            return false;
        }
        core.yielded.add(task);
        return true;
    }

    /** Queues the yielded tasks and wakes the deferred wakers, onto the back of the local queue. */
    private void drainDeferred(Core core) {
        if (!core.hasDeferred()) {
            return;
        }
        ArrayList<Task<?>> yielded = core.yielded;
        InjectQueue overflow = overflow(core);
        for (int i = 0; i < yielded.size(); i++) {
            core.queue.pushBack(yielded.get(i), overflow);
        }
        yielded.clear();
        if (!core.deferred.isEmpty()) {
            core.draining = true;
            try {
                for (int i = 0; i < core.deferred.size(); i++) {
                    core.deferred.get(i).wake();
                }
            } finally {
                core.deferred.clear();
                core.draining = false;
            }
        }
        if (stealing && core.queue.len() > 1) {
            notifyParked(); // more than we can run at once: let a parked worker steal some
        }
    }

    private InjectQueue overflow(Core core) {
        return stealing ? inject : core.inbox;
    }

    private InjectQueue remoteQueue(Core core) {
        return stealing ? inject : core.inbox;
    }

    /**
     * The driver watch, run by the monitor at every sample: if no thread holds the driver while a
     * worker waits on its condition variable, wakes that worker, which finds nothing to do and
     * parks again, this time in the driver. The driver is taken by the first worker to park;
     * woken to run tasks, it leaves the driver. With work stealing, it leaves as a searching
     * worker, and finding work it wakes another (tokio's protocol), which parks in the driver in
     * its turn. A thread-per-core worker wakes nobody; if it then runs for long (a task that
     * blocks or computes) while the others stay on their condition variables, nobody fires a
     * timer or dispatches I/O until some worker parks again: the watch bounds that by the
     * monitor's period (Go's sysmon polls the network for the same reason). A wake that lands
     * in the instant between two holders costs one needless round trip of a parked worker.
     */
    void attendDriver() {
        if (terminated || driver.isLocked()) {
            return;
        }
        for (Core c : cores) {
            if (c.parker.parkedOnCondvar()) {
                c.parker.unpark();
                return;
            }
        }
    }

    private void notifyParked() {
        int index = idle.workerToNotify();
        if (index >= 0) {
            cores[index].parker.unpark();
        } else if (compensatorCount.get() != 0) {
            // No worker parked: they may all be blocked, with compensators standing in for them.
            for (Compensator c : compensators) {
                c.core.parker.unpark();
                return;
            }
        }
    }

    // ------------------------------------------------------------------ the worker loop

    void runWorker(Worker worker) {
        Core core = worker.core;
        ExecContext cx = worker.context;
        int[] count = new int[1];
        if (worker.compensator != null) {
            worker.compensator.run(worker);
            return;
        }
        while (!terminated) {
            if (worker.core != core) {
                return; // the core was handed off (blockInPlace); this thread retires
            }
            noteClose(worker);
            try {
                tick(worker, core, cx, count);
            } catch (Throwable internal) {
                // Tasks cannot throw this far (Task.run catches everything); this is the driver or
                // a hook failing. Losing the worker would strand its queue: log and carry on.
                System.getLogger("dev.eventide.runtime").log(System.Logger.Level.ERROR,
                        "worker " + worker.getName() + " survived an internal error", internal);
            }
        }
    }

    /** One turn of the event loop: maintenance when due, then one task (or steal, or park). */
    private void tick(Worker worker, Core core, ExecContext cx, int[] count) {
        GlobalQueueInterval interval = core.globalQueueInterval;
        if (core.tickMaintenanceDue()) {
            interval.endBatch(); // time in the driver is not task time
            maintenance(core);
            interval.startBatch();
        }
        Task<?> task = nextTask(core, count);
        if (task == null && core.hasDeferred()) {
            // Only yielded tasks left here: queue them again. They are this worker's ready work,
            // so they come before stealing another's. No driver poll first: I/O and timers get
            // their turn every eventInterval ticks, and tasks that yield in a loop tick too.
            drainDeferred(core);
            task = nextTask(core, count);
        }
        if (task == null) {
            interval.endBatch();
            task = stealWork(core);
            if (task != null) {
                interval.startBatch();
            }
        }
        if (task != null) {
            runTask(worker, core, cx, task);
        } else {
            park(worker, core);
            interval.startBatch();
        }
    }

    /** Parks on the core's parker; tasks the driver wakes meanwhile stay local (see Core.parking). */
    private static void parkQuietly(Core core) {
        core.parking = true;
        core.parks++;
        long start = System.nanoTime();
        core.parkedSince = start;
        try {
            core.parker.park();
        } finally {
            core.parkedSince = 0;
            core.parkedNanos += System.nanoTime() - start;
            core.parking = false;
        }
    }

    /**
     * The least time between two non-blocking driver polls of one worker's {@link #maintenance}.
     * tokio polls every {@code eventInterval} ticks, whatever they cost; a JDK selector's
     * {@code selectNow} costs a microsecond or two (its locks and an {@code epoll_wait}), which
     * behind 61 polls of 20 ns each (tasks that yield in a loop, workload W4) was a tenth of the
     * worker's time. Timers have a resolution of 1 ms, and I/O readiness waits at most this long
     * more than it would.
     */
    static final long DRIVER_POLL_FLOOR_NANOS = 50_000;

    /**
     * Polls the driver without blocking (unless this worker did less than
     * {@link #DRIVER_POLL_FLOOR_NANOS} ago), then wakes the deferred (yielded) tasks.
     */
    void maintenance(Core core) {
        long now = System.nanoTime();
        if (now - core.lastDriverPoll >= DRIVER_POLL_FLOOR_NANOS) {
            core.lastDriverPoll = now;
            pollDriverNow(core);
        }
        drainDeferred(core);
    }

    /**
     * Polls the driver without blocking, unless another worker holds it (waiting in it, so it
     * serves I/O and timers itself); the tasks it wakes stay on this worker.
     */
    private static void pollDriverNow(Core core) {
        core.parking = true; // wakes from the driver go local, no notifications
        try {
            core.parker.pollDriver();
        } finally {
            core.parking = false;
        }
    }

    Task<?> nextTask(Core core, int[] count) {
        InjectQueue remote = remoteQueue(core);
        if (core.globalQueueInterval.due()) {
            Task<?> t = remote.isEmpty() ? null : popRemoteBatch(core, remote, count);
            return t != null ? t : nextLocalTask(core);
        }
        Task<?> t = nextLocalTask(core);
        if (t != null || remote.isEmpty()) {
            return t;
        }
        return popRemoteBatch(core, remote, count);
    }

    /**
     * Takes a fair share of the global queue (or inbox) in one batch: returns its first task and
     * queues the rest locally. Both when the local queue has run dry and when the global queue's
     * turn comes round ({@link GlobalQueueInterval}). tokio takes a single task at its turn; with
     * workers that never run dry (a chain of short tasks each spawning the next, WORKLOADS.md's
     * W3b), a thousand tasks spawned from outside then waited a turn each, 69 ms for the lot,
     * where a batch moves them behind the chain at once.
     */
    private Task<?> popRemoteBatch(Core core, InjectQueue remote, int[] count) {
        int cap = Math.max(1, Math.min(core.queue.remainingSlots(), core.queue.capacity() / 2));
        Task<?> first = remote.popBatch(cap, stealing ? cores.length : 1, count);
        if (first == null) {
            return null;
        }
        Task<?> rest = first.next;
        first.next = null;
        if (count[0] > 1) {
            core.queue.pushBackBatch(rest, count[0] - 1);
        }
        return first;
    }

    static Task<?> nextLocalTask(Core core) {
        Task<?> t = core.takeLifo();
        return t != null ? t : core.queue.pop();
    }

    private Task<?> stealWork(Core core) {
        if (!stealing) {
            return null;
        }
        if (!core.searching) {
            core.searching = idle.transitionWorkerToSearching();
            if (!core.searching) {
                return null;
            }
        }
        int n = cores.length;
        int start = core.nextRandom(n);
        for (int i = 0; i < n; i++) {
            Core victim = cores[(start + i) % n];
            if (victim == core) {
                continue;
            }
            Task<?> t = victim.queue.stealInto(core.queue);
            if (t != null) {
                core.steals++;
                if (FlightRecorder.isInitialized()) {
                    recordSteal(core, victim);
                }
                return t;
            }
        }
        return inject.pop();
    }

    private static void recordSteal(Core thief, Core victim) {
        StealEvent event = new StealEvent();
        if (event.shouldCommit()) {
            event.thief = thief.index;
            event.victim = victim.index;
            event.tasks = thief.queue.len() + 1;
            event.commit();
        }
    }

    void runTask(Worker worker, Core core, ExecContext cx, Task<?> task) {
        if (core.searching) {
            core.searching = false;
            if (idle.transitionWorkerFromSearching()) {
                // We were the last searcher: let another worker look, if there is anything for
                // it to find (see Idle). Work pushed from now on notifies for itself.
                notifyIfWorkPending();
            }
        }
        core.lifoEnabled = config.lifoSlot();
        core.globalQueueInterval.countTick();
        poll(worker, core, cx, task);
        int lifoPolls = 0;
        for (;;) {
            if (worker.core != core) {
                return;
            }
            Task<?> next = core.takeLifo();
            if (next == null) {
                return;
            }
            InjectQueue remote = remoteQueue(core);
            if (core.queue.isEmpty() && !remote.isEmpty()) {
                // Work from outside waits while nothing else is queued here: the LIFO task goes
                // behind it, to the back of the global queue (or inbox), which the next tick takes
                // from first, not after the interval. Behind a chain of 10 µs links that spawn each
                // other (workload W3b), the first task spawned from outside waited up to two ticks
                // of four links each, and each batch taken from the global queue then waited for
                // four more links (W3b poll: 231-313 -> 44-87 ns per task). Not while local work is
                // queued: a burst of spawns overflows into the global queue, and a ping-pong pair
                // (W5) would then lose its slot at every exchange (1.6 µs per ping instead of 0.1).
                core.globalQueueInterval.dueNext();
                core.lifoEnabled = false;
                remote.push(next);
                return;
            }
            if (lifoPolls >= MAX_LIFO_POLLS_PER_TICK) {
                // Cap reached: the LIFO task goes behind the others, and the slot stays off until
                // the next tick so it cannot monopolise the worker. This worker is free again: if
                // the task is alone in the queue, it runs it next, and waking a parked worker to
                // steal it would only move a chain of spawns from core to core.
                core.lifoEnabled = false;
                core.queue.pushBack(next, overflow(core));
                if (stealing && core.queue.len() > 1) {
                    notifyParked();
                }
                return;
            }
            lifoPolls++;
            poll(worker, core, cx, next);
        }
    }

    /**
     * Polls one task, counting it for the metrics and the monitor. If a compensator is rescuing
     * this core, the poll that ends may be the blocked one it stands in for: wake it, so that it
     * retires now rather than at its park timeout (one volatile load per poll otherwise).
     */
    private static void poll(Worker worker, Core core, ExecContext cx, Task<?> task) {
        core.polls++;
        worker.probe.pollStarted();
        task.run(cx);
        worker.probe.pollEnded();
        wakeRescuer(core);
    }

    private void park(Worker worker, Core core) {
        if (core.hasLocalWork()) {
            return;
        }
        if (!stealing) {
            if (core.inbox.isEmpty() && !spinForWork(core)) {
                parkQuietly(core);
            }
            return;
        }
        if (core.searching && spinForWork(core)) {
            return; // still searching: the next tick takes the work
        }
        boolean wasSearching = core.searching;
        core.searching = false;
        if (idle.transitionWorkerToParked(core.index, wasSearching)) {
            notifyIfWorkPending(); // we were the last searcher: look once more (see Idle)
        }
        if (driver.time().clock().isPaused() && idle.allParked()) {
            driver.wakeup(); // the last worker parks: a paused clock may now jump to the next timer
        }
        while (!terminated) {
            parkQuietly(core);
            if (transitionFromParked(core)) {
                break;
            }
            noteClose(worker); // woken by the close, to see it (see awaitCloseSeen)
        }
        if (core.queue.len() > 1) {
            notifyParked(); // the driver woke several tasks onto this worker: share them
        }
    }

    /**
     * Looks for work for up to {@code spinBeforePark} before the worker parks; returns true as
     * soon as some is in sight: in this worker's queues, in the global queue (its inbox,
     * thread-per-core) or, with work stealing, in another worker's queue. Only a searching worker
     * spins (so at most half of them), or a thread-per-core one, which nobody else can stand in
     * for: a producer wakes no parked worker while one searches, and unparking a thread-per-core
     * worker that has not parked costs no system call, so work that arrives during the spin is
     * taken at once and nobody pays for a wake-up (see {@code Eventide.Builder.spinBeforePark}).
     * Every few looks it polls the driver without blocking, unless another worker waits in it:
     * I/O and timers are served during the spin (a loopback port scan, every connect of which
     * completes through the selector, ran at half speed while they waited for spins to end).
     *
     * <p>Between looks the worker yields its CPU ({@code Thread.yield}), so that the spin takes no
     * CPU time from a thread that needs it: with a pure busy-wait, a server sharing two CPUs with
     * its load generator (W10, W11 on loopback) served 20% fewer requests than with no spin at
     * all; yielding, 20-30% more (W10 132k / 143k req/s against 106k / 109k without a spin, W11
     * 128k against 106k / 119k, blocks / poll futures, in the same run).
     */
    private boolean spinForWork(Core core) {
        long spin = spinNanos;
        if (spin == 0) {
            return false;
        }
        InjectQueue remote = remoteQueue(core);
        long start = System.nanoTime();
        for (int round = 1; ; round++) {
            if (core.hasLocalWork() || !remote.isEmpty()) {
                return true;
            }
            // Other workers' queues less often: each read pulls a line that their owner writes.
            if (stealing && (round & 15) == 0 && othersHaveWork(core)) {
                return true;
            }
            // And the driver, if nobody waits in it: I/O and timers must not wait for the spin.
            if ((round & 7) == 0) {
                pollDriverNow(core);
                if (core.hasLocalWork()) {
                    return true;
                }
            }
            if (System.nanoTime() - start >= spin || terminated) {
                return false;
            }
            Thread.yield(); // a thread that waits for this CPU gets it first
        }
    }

    private boolean othersHaveWork(Core core) {
        for (Core c : cores) {
            if (c != core && !c.queue.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private boolean transitionFromParked(Core core) {
        if (core.hasLocalWork()) {
            // Tasks woken by the driver while we were parked: unpark ourselves.
            idle.unparkWorkerById(core.index);
            core.searching = true; // whoever unparked us (us, or a notifier) counted us searching
            return true;
        }
        if (idle.isParked(core.index)) {
            return false; // spurious, or the driver had nothing for us
        }
        core.searching = true; // a notifier picked us and counted us searching
        return true;
    }

    private void notifyIfWorkPending() {
        for (Core c : cores) {
            if (!c.queue.isEmpty()) {
                notifyParked();
                return;
            }
        }
        if (!inject.isEmpty()) {
            notifyParked();
        }
    }

    // ------------------------------------------------------------------ compensation

    /** A poll that kept its thread on a CPU for at least this share of its time is computing. */
    static final double ON_CPU_SHARE = 0.5;

    /**
     * Starts a {@link Compensator} for the worker of {@code probe}, seen by the monitor inside
     * the poll numbered {@code seq} for longer than the compensation threshold, and returns
     * true; or declines (false) if the worker no longer holds a core, if as many compensators as
     * workers are already running, or if the worker is <em>computing</em> rather than blocked
     * while the work behind it is within other workers' reach (see below).
     *
     * <p>A worker that sleeps or waits (a lock, I/O) leaves its CPU idle: a compensator uses that
     * CPU, a pure gain. A worker that computes keeps its CPU: a compensator could only share a
     * CPU with another thread and make both slower (W12's busy-spin rows), while stealing workers
     * take its queue anyway once they run out of work. So with work stealing, a poll that spent
     * at least {@value #ON_CPU_SHARE} of its time, or of the monitor's last sampling interval,
     * on a CPU gets no compensator; only the task in
     * its LIFO slot, which no stealer can reach, is moved to the global queue (by the monitor's
     * thread: the slot is exchanged atomically while compensation is on). Thread-per-core, where
     * nothing else can reach its queue, a computing worker is compensated too. The monitor asks
     * again at every sample, so a LIFO task that arrives later is moved too, and a poll that
     * starts to block later is compensated then.
     */
    private boolean compensate(PollProbe probe, long seq) {
        Worker blocked = (Worker) probe.thread;
        Core core = blocked.core;
        if (core == null || isClosed()) {
            return false; // a closing runtime starts no new thread: the close waits for the ones it has
        }
        if (stealing && probe.monitorCpuShare >= ON_CPU_SHARE) {
            Task<?> stuck = core.takeLifo();
            if (stuck != null) {
                inject.push(stuck);
                notifyParked();
            }
            return false;
        }
        int n = compensatorCount.incrementAndGet();
        if (n > cores.length) {
            compensatorCount.decrementAndGet();
            return false;
        }
        Core fresh = new Core(core.index, core.inbox, driver, true, config.globalQueueInterval(),
                config.eventInterval());
        Compensator c = new Compensator(this, blocked, core, seq, fresh);
        compensators.add(c);
        compensationsTotal.incrementAndGet();
        core.rescuer = fresh.parker; // before it starts: a push from now on wakes it
        System.getLogger("dev.eventide.runtime").log(System.Logger.Level.DEBUG,
                "worker {0} blocked in one poll: a compensating worker runs its queued tasks", blocked.getName());
        startWorker(fresh, c, config.threadNamePrefix() + "-compensator-" + threadCounter.getAndIncrement());
        return true;
    }

    /** A retiring compensator gives back a task it did not run. */
    void handBack(Core blockedCore, Task<?> task) {
        if (stealing) {
            inject.push(task);
            notifyParked();
        } else {
            blockedCore.inbox.push(task);
            blockedCore.parker.unpark();
        }
    }

    /**
     * A compensator retired; it no longer parks. It may have been the thread waiting in the
     * driver, with every worker that parked meanwhile waiting on its condition variable: then
     * nobody would serve timers and I/O again until something unparked a worker, and in a
     * thread-per-core runtime, where a task waiting for a timer is all there is, nothing would.
     * So wake every worker: each parks again, and the first takes the driver (rare: once per
     * compensation).
     */
    void compensatorRetired(Compensator c) {
        compensators.remove(c);
        compensatorCount.decrementAndGet();
        for (Core core : cores) {
            core.parker.unpark();
        }
    }

    boolean isTerminated() {
        return terminated;
    }

    // ------------------------------------------------------------------ blockInPlace

    /**
     * Runs {@code body} on the calling worker after handing its core (queue, LIFO slot) to a fresh
     * worker thread, so the tasks queued behind the caller keep running while it blocks. The
     * calling thread finishes the current poll without a core and then ends.
     */
    public <T> T blockInPlace(Callable<T> body) throws Exception {
        if (ExecContext.currentThread() instanceof Worker w && w.scheduler == this) {
            Core core = w.core;
            if (core != null) {
                w.probe.blockingInPlace = true; // blocks on purpose: not for the blocked-worker monitor
                w.context.registryShard = foreignShard(); // the core's shard has a new owner
                w.core = null;
                if (core.searching) {
                    core.searching = false;
                    idle.transitionWorkerFromSearching();
                }
                startWorker(core);
            }
        }
        return body.call();
    }

    // ------------------------------------------------------------------ hooks and shutdown

    void runHook(Consumer<Thread> hook, Thread thread) {
        if (hook == null) {
            return;
        }
        try {
            hook.accept(thread);
        } catch (Throwable t) {
            System.getLogger("dev.eventide.runtime").log(System.Logger.Level.WARNING,
                    "thread hook failed on " + thread.getName(), t);
        }
    }

    void workerExited(Worker w) {
        probes.remove(w.probe);
        threads.remove(w);
    }

    /**
     * Records, once, that {@code worker} has seen the runtime closed between two polls; called by
     * the worker at the start of every tick (see {@link #awaitCloseSeen}).
     */
    void noteClose(Worker worker) {
        if (!worker.closeSeen && isClosed()) {
            worker.closeSeen = true;
        }
    }

    /**
     * Waits until every worker thread (compensators and threads that gave their core away
     * included) has seen the close at the start of a tick, or has ended, and aborts what it
     * registered meanwhile: from then on, each either registered the tasks whose first poll it
     * ran before (with stores this wait orders before the walk of its shard) or sees the close at
     * each first poll and cancels the task instead (see {@code Scheduler}). Parked workers are
     * woken to look; a worker busy in a long poll is waited for, until the deadline.
     */
    @Override
    protected boolean awaitCloseSeen(long deadline) {
        for (Core c : cores) {
            c.parker.unpark();
        }
        for (Compensator c : compensators) {
            c.core.parker.unpark();
        }
        // Each thread's shard is walked as soon as that thread has seen the close, so that one
        // worker blocked in a long poll does not hold up the others' cancellations.
        List<Worker> waiting = new ArrayList<>(threads);
        for (int spins = 0; ; spins++) {
            waiting.removeIf(w -> {
                if (!w.closeSeen && w.getState() != Thread.State.TERMINATED) {
                    return false;
                }
                abortRegisteredIn(w.context.registryShard);
                return true;
            });
            if (waiting.isEmpty()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * After the close: waits until no task is queued anywhere (what is left are tasks waiting for
     * their first poll, which the workers cancel as they take them), or until the deadline.
     */
    private boolean awaitQueuesDrained(long deadline) {
        while (!queuesEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(20_000);
        }
        return true;
    }

    @Override
    public boolean shutdown(long timeoutNanos) {
        if (isWorkerThread()) {
            throw new IllegalStateException("a runtime cannot be shut down from one of its own worker threads:"
                    + " the worker would wait for itself. Close it from outside (or use Handle.spawn to hand"
                    + " the close to another thread).");
        }
        long deadline = System.nanoTime() + timeoutNanos;
        boolean seen = closeAndAbortAll(deadline);
        // The registered tasks, then those still queued for a first poll, which the workers cancel.
        boolean tasksDone = awaitTasks(registry, deadline) && awaitQueuesDrained(deadline) && seen;
        terminated = true;
        for (Core c : cores) {
            c.parker.unpark();
        }
        for (Compensator c : compensators) {
            c.core.parker.unpark(); // it sees terminated and retires
        }
        driver.wakeup();
        boolean workersDone = true;
        if (monitor != null) {
            // First, so that it starts no compensator after we look at the threads.
            try {
                workersDone = monitor.shutdown(deadline - System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workersDone = false;
            }
        }
        for (Worker w : threads) {
            long left = deadline - System.nanoTime();
            try {
                w.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            workersDone &= !w.isAlive();
        }
        try {
            workersDone &= spacers.stop(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workersDone = false;
        }
        closeResources();
        boolean blockingDone = blockingPool.shutdown(Math.max(0, deadline - System.nanoTime()));
        driver.close();
        return tasksDone && workersDone && blockingDone;
    }

    // ------------------------------------------------------------------ metrics

    /**
     * Sums the cores' counters, read racily (see {@link Core}): each value may be a few
     * operations old. Busy time is time since the core started minus time parked.
     */
    @Override
    public RuntimeMetrics metrics() {
        long now = System.nanoTime();
        List<RuntimeMetrics.Worker> perWorker = new ArrayList<>(cores.length);
        long inboxes = 0;
        for (Core c : cores) {
            long parkedSince = c.parkedSince;
            long parked = c.parkedNanos + (parkedSince != 0 ? Math.max(0, now - parkedSince) : 0);
            long busy = Math.max(0, now - c.startNanos - parked);
            int depth = c.queue.len() + (c.peekLifo() != null ? 1 : 0);
            perWorker.add(new RuntimeMetrics.Worker(c.index, depth, c.polls, c.steals, c.parks, Duration.ofNanos(busy)));
            if (c.inbox != null) {
                inboxes += c.inbox.len();
            }
        }
        return metrics(stealing ? inject.len() : inboxes, perWorker, compensatorCount.get(), compensationsTotal.get());
    }

    /** Waits until every registered task completed, or the deadline; true if they all did. */
    static boolean awaitTasks(TaskRegistry registry, long deadline) {
        Thread me = Thread.currentThread();
        Waker unparkMe = () -> LockSupport.unpark(me);
        boolean[] all = {true};
        registry.forEachLive(t -> {
            while (!t.isFinished()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    all[0] = false;
                    return;
                }
                if (t.wakeOnCompletion(unparkMe)) {
                    LockSupport.parkNanos(t, left);
                }
            }
        });
        return all[0];
    }

    /** Whether the calling thread is a worker of this runtime. */
    public boolean isWorkerThread() {
        return ExecContext.currentThread() instanceof Worker w && w.scheduler == this;
    }
}
