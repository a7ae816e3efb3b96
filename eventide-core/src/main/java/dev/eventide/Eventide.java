package dev.eventide;

import dev.eventide.runtime.Await;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.RuntimeConfig;
import dev.eventide.runtime.Scheduler;
import dev.eventide.runtime.scheduler.CurrentThreadScheduler;
import dev.eventide.runtime.scheduler.MultiThreadScheduler;
import dev.eventide.runtime.task.FutureTask;
import dev.eventide.runtime.task.Task;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * An Eventide runtime, and the static entry points that act on the current one.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Eventide.run(() -> {                                    // like #[tokio::main]
 *         JoinHandle<Integer> h = Eventide.spawn(() -> 40 + 2);
 *         int v = h.await();
 *         Eventide.yieldNow().await();
 *         String text = Eventide.spawnBlocking(() -> Files.readString(path)).await();
 *     });
 * }
 *
 * try (Eventide rt = Eventide.builder().workerThreads(4).build()) {
 *     rt.blockOn(() -> ...);          // drive a block to completion from outside
 *     rt.handle().spawn(...);         // spawn onto this runtime from any thread
 * }
 * }</pre>
 *
 * <h2>Flavours</h2>
 * {@link #builder()} builds the multi-thread, work-stealing runtime: one worker thread per core,
 * each with its own run queue, stealing from each other when idle; {@code workStealing(false)}
 * makes it thread-per-core. {@link #currentThread()} builds a single-threaded runtime whose tasks
 * run on the thread that calls {@link #blockOn}, only while it does. Several runtimes may run
 * side by side and spawn onto each other through their {@link Handle}s.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Never block a worker: blocking calls go to {@link #spawnBlocking} (or
 *       {@link #blockInPlace}). {@code blockOn} on a runtime thread throws
 *       {@link IllegalStateException}: a runtime cannot be started from within a runtime.</li>
 *   <li>Async blocks run on JVM continuations and need the JVM option
 *       {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (class path) or
 *       {@code =dev.eventide} (module path); without it the first spawn of a block throws an
 *       {@link IllegalStateException} that names the option.</li>
 *   <li>Worker and blocking threads are daemon threads: a runtime that is never closed does not
 *       keep the JVM alive. {@link #close()} cancels every task, so their {@code finally} blocks
 *       run, waits for blocking threads up to the shutdown timeout, and leaves no thread
 *       behind.</li>
 * </ul>
 */
public final class Eventide implements AutoCloseable {
    private final RuntimeConfig config;
    private final Scheduler scheduler;
    private final Handle handle;

    private Eventide(RuntimeConfig config) {
        this.config = config;
        if (config.currentThread()) {
            CurrentThreadScheduler ct = new CurrentThreadScheduler(config);
            ct.start();
            this.scheduler = ct;
        } else {
            MultiThreadScheduler mt = new MultiThreadScheduler(config);
            mt.start();
            this.scheduler = mt;
        }
        this.handle = new Handle(scheduler);
    }

    // ------------------------------------------------------------------ building

    /** A builder for a multi-thread runtime (the default flavour). */
    public static Builder builder() {
        return new Builder();
    }

    /** A new single-threaded runtime with default settings, driven by {@link #blockOn}. */
    public static Eventide currentThread() {
        return builder().currentThread().build();
    }

    /**
     * Builds a default multi-thread runtime, runs {@code block} on it to completion, shuts the
     * runtime down and returns the block's value: the {@code main} of an async program.
     *
     * @throws TaskFailedException if the block threw a checked exception (its cause); unchecked
     *     exceptions are rethrown as they are
     */
    public static <T> T run(Callable<T> block) {
        try (Eventide rt = builder().build()) {
            return rt.blockOn(block);
        }
    }

    /** {@link #run(Callable)} for a block without a value. */
    public static void run(Runnable block) {
        Objects.requireNonNull(block, "block");
        run(() -> {
            block.run();
            return null;
        });
    }

    // ------------------------------------------------------------------ the current runtime

    /**
     * Spawns an async block onto the current runtime. From a worker, the new task goes to the
     * worker's LIFO slot and usually runs next, on the same core.
     *
     * @throws IllegalStateException if the calling thread drives no runtime
     */
    public static <T> JoinHandle<T> spawn(Callable<T> block) {
        Objects.requireNonNull(block, "block");
        Thread caller = ExecContext.currentThread(); // read once: the scheduler's spawn needs it too
        return Handle.spawnBlock(Handle.schedulerOf(caller, "Eventide.spawn"), block, caller);
    }

    /** {@link #spawn(Callable)} for a block without a value. */
    public static JoinHandle<Void> spawn(Runnable block) {
        Objects.requireNonNull(block, "block");
        Thread caller = ExecContext.currentThread();
        return Handle.spawnBlock(Handle.schedulerOf(caller, "Eventide.spawn"), block, caller);
    }

    /** Spawns a poll-based future onto the current runtime. */
    public static <T> JoinHandle<T> spawn(Future<T> future) {
        Objects.requireNonNull(future, "future");
        Thread caller = ExecContext.currentThread();
        Scheduler s = Handle.schedulerOf(caller, "Eventide.spawn");
        return s.spawn(new FutureTask<>(s, future), caller);
    }

    /**
     * Runs blocking code (file I/O, a JDBC call, a CPU-heavy computation) on the current
     * runtime's elastic blocking pool, so the workers stay free; await the handle for its value.
     * Aborting the handle cancels the job if it has not started; a started job runs to the end.
     */
    public static <T> JoinHandle<T> spawnBlocking(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return Handle.currentScheduler("Eventide.spawnBlocking").blockingPool.spawn(body);
    }

    /**
     * Runs blocking code right here, on the current worker, after handing the worker's queued
     * tasks to a fresh worker thread so that they keep running. Cheaper than
     * {@link #spawnBlocking} when the blocking call is short and needs the task's stack. Outside
     * a runtime the body simply runs.
     *
     * @throws IllegalStateException on a current-thread runtime, which has no other worker
     */
    public static <T> T blockInPlace(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        ExecContext cx = ExecContext.current();
        if (cx == null) {
            return body.call();
        }
        if (cx.scheduler instanceof MultiThreadScheduler mt) {
            return mt.blockInPlace(body);
        }
        throw new IllegalStateException("blockInPlace needs the multi-thread runtime: a current-thread runtime"
                + " has no other thread to run its tasks while this one blocks. Use spawnBlocking instead.");
    }

    /**
     * A future that, awaited, yields once: the task is set aside until its worker has run the
     * other ready tasks (or polled I/O and timers at its next maintenance tick), then continues.
     * Not a no-op even when nothing else is ready: the driver is polled first. Off a runtime it
     * completes on the second poll.
     */
    public static Future<Void> yieldNow() {
        return new Future<>() {
            private boolean yielded;

            @Override
            public Poll<Void> poll(Context cx) {
                if (yielded) {
                    return Poll.ready(null);
                }
                yielded = true;
                if (cx instanceof Task<?> task) {
                    task.yieldSelf(); // a task's own poll: no lookup of the current thread
                    return Poll.pending();
                }
                Scheduler sched = schedulerOfThisThread();
                if (sched != null) {
                    sched.defer(cx.waker());
                } else {
                    cx.waker().wake();
                }
                return Poll.pending();
            }
        };
    }

    private static Scheduler schedulerOfThisThread() {
        ExecContext ec = ExecContext.current();
        return ec != null ? ec.scheduler : null;
    }

    // ------------------------------------------------------------------ this runtime

    /**
     * Runs {@code block} on this runtime and blocks the calling thread until it completes; on a
     * current-thread runtime, the calling thread runs every task of the runtime meanwhile.
     *
     * @throws IllegalStateException if the calling thread drives a runtime (any runtime)
     * @throws TaskFailedException if the block threw a checked exception; unchecked exceptions
     *     are rethrown as they are
     * @throws CancelledException if the runtime was closed before the block completed
     */
    public <T> T blockOn(Callable<T> block) {
        Objects.requireNonNull(block, "block");
        refuseRuntimeThread();
        return finish(Handle.spawnBlock(scheduler, block, ExecContext.currentThread()));
    }

    /** {@link #blockOn(Callable)} for a block without a value. */
    public void blockOn(Runnable block) {
        Objects.requireNonNull(block, "block");
        blockOn(() -> {
            block.run();
            return null;
        });
    }

    /** Drives a poll-based future to completion on this runtime; see {@link #blockOn(Callable)}. */
    public <T> T blockOn(Future<T> future) {
        Objects.requireNonNull(future, "future");
        refuseRuntimeThread();
        return finish(scheduler.spawn(new FutureTask<>(scheduler, future)));
    }

    private static void refuseRuntimeThread() {
        if (ExecContext.current() != null) {
            throw new IllegalStateException(CurrentThreadScheduler.RUNTIME_IN_RUNTIME);
        }
    }

    private <T> T finish(Task<T> main) {
        if (scheduler instanceof CurrentThreadScheduler ct) {
            ct.drive(main::isFinished, Long.MAX_VALUE);
        }
        try {
            return Await.block(main, "blockOn");
        } catch (TaskFailedException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** A handle through which any thread can spawn onto this runtime. */
    public Handle handle() {
        return handle;
    }

    /** The number of worker threads (1 for a current-thread runtime). */
    public int workerThreads() {
        return scheduler instanceof MultiThreadScheduler mt ? mt.workers() : 1;
    }

    /**
     * The number of tasks that have run and not yet completed: a task counts from the end of its
     * first poll, if that did not complete it (see {@link RuntimeMetrics#aliveTasks()}).
     */
    public long aliveTasks() {
        return scheduler.liveTasks();
    }

    /** Threads of the blocking pool alive now (for tests and metrics). */
    public int blockingThreads() {
        return scheduler.blockingPool.threads();
    }

    /**
     * Shuts down with the builder's shutdown timeout (10 s by default); see
     * {@link #shutdownTimeout(Duration)}. Idempotent.
     */
    @Override
    public void close() {
        shutdownTimeout(config.shutdownTimeout());
    }

    // ------------------------------------------------------------------ observability

    /**
     * A snapshot of this runtime's metrics: workers, live and spawned tasks, queue depths,
     * per-worker polls, steals, parks and busy time, the blocking pool, the reactor and the
     * timers. The counters are always on and cost the scheduler an increment each; the
     * snapshot reads them without synchronisation, so it is a consistent picture only of a
     * quiet runtime (see {@link RuntimeMetrics}). Any thread, also after close.
     */
    public RuntimeMetrics metrics() {
        return scheduler.metrics();
    }

    /**
     * A text dump of every live task: what it runs, its state and, for an async block suspended
     * at an {@code await}, the frames where it is suspended (innermost first, starting with the
     * runtime's own await frames), so a hung program shows what each task waits for. A task that
     * is running or queued when it is looked at is listed with its state but no frames. Taking
     * the dump is O(live tasks) and meant for diagnosis, not for a hot path; tasks keep running
     * meanwhile, and a task woken while its stack is being read is queued right after. Tasks
     * that have not yet run, or whose first poll is running, are not listed (a task is listed
     * from the end of its first poll, if that did not complete it; see
     * {@link RuntimeMetrics#aliveTasks()}).
     */
    public String taskDump() {
        return scheduler.taskDump();
    }

    /**
     * Adds a listener that is told of every {@linkplain BlockedWorkerIncident blocked-worker
     * incident} (besides the log record); it runs on the monitor thread, so it must not block for
     * long. Has no effect if the detector is off ({@link Builder#blockedWorkerThreshold}).
     */
    public void addBlockedWorkerListener(Consumer<BlockedWorkerIncident> listener) {
        scheduler.addBlockedWorkerListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addBlockedWorkerListener}; false if it was not added. */
    public boolean removeBlockedWorkerListener(Consumer<BlockedWorkerIncident> listener) {
        return scheduler.removeBlockedWorkerListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Shuts the runtime down: refuses new tasks, cancels every live task (async blocks see a
     * {@link CancelledException} at their pending {@code await}, so {@code finally} blocks run),
     * lets the workers run those cancellations, stops the workers, cancels queued blocking jobs
     * and waits for running ones; whatever is still running at the timeout is interrupted.
     *
     * @return true if everything stopped within the timeout
     * @throws IllegalStateException if called from a thread that drives this runtime's tasks
     */
    public boolean shutdownTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (this) {
            if (shutdownResult != null) {
                return shutdownResult;
            }
            shutdownResult = scheduler.shutdown(timeout.toNanos());
            if (!shutdownResult) {
                System.getLogger("dev.eventide.runtime").log(System.Logger.Level.WARNING,
                        "runtime shutdown timed out after " + timeout + ": some tasks or blocking jobs were still"
                                + " running (" + scheduler.liveTasks() + " live tasks)");
            }
            return shutdownResult;
        }
    }

    private Boolean shutdownResult;

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    @Override
    public String toString() {
        return "Eventide[" + (config.currentThread() ? "current-thread" : workerThreads() + " workers") + "]";
    }

    // ------------------------------------------------------------------ the builder

    /**
     * Configures a runtime. Defaults: one worker per available processor, work stealing on,
     * up to 512 blocking threads kept alive 10 s when idle, threads named
     * {@code eventide-worker-N}, event interval 61, global queue interval adaptive, LIFO slot on,
     * real clock, shutdown timeout 10 s. Invalid values are refused at once with an
     * {@link IllegalArgumentException} that names the option.
     */
    public static final class Builder {
        /** The most worker threads a runtime may have (a task records its worker in a {@code short}). */
        public static final int MAX_WORKER_THREADS = Short.MAX_VALUE;
        private static final long DEFAULT_BLOCKED_WORKER_THRESHOLD_MILLIS = 100;
        private static final long DEFAULT_COMPENSATION_THRESHOLD_MILLIS = 200;
        private static final Duration DEFAULT_BLOCKED_WORKER_THRESHOLD =
                Duration.ofMillis(DEFAULT_BLOCKED_WORKER_THRESHOLD_MILLIS);
        private static final Duration DEFAULT_SPIN_BEFORE_PARK = Duration.ofNanos(50_000);
        /** The longest {@link #spinBeforePark} allowed: beyond it, spinning is burning a CPU. */
        private static final Duration MAX_SPIN_BEFORE_PARK = Duration.ofMillis(1);
        private boolean currentThread;
        private int workerThreads = Runtime.getRuntime().availableProcessors();
        private boolean workStealing = true;
        private int maxBlockingThreads = 512;
        private Duration blockingKeepAlive = Duration.ofSeconds(10);
        private String threadNamePrefix = "eventide-worker";
        private Consumer<Thread> onThreadStart;
        private Consumer<Thread> onThreadStop;
        private int eventInterval = 61;
        private int globalQueueInterval; // 0: adaptive
        private boolean lifoSlot = true;
        private boolean startPaused;
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration blockedWorkerThreshold = DEFAULT_BLOCKED_WORKER_THRESHOLD;
        private Duration compensationThreshold = Duration.ofMillis(DEFAULT_COMPENSATION_THRESHOLD_MILLIS);
        private Duration spinBeforePark = DEFAULT_SPIN_BEFORE_PARK;

        private Builder() {
        }

        /** Builds a single-threaded runtime instead, driven by {@code blockOn}. */
        public Builder currentThread() {
            this.currentThread = true;
            return this;
        }

        /**
         * Number of worker threads (default: available processors), at most
         * {@link #MAX_WORKER_THREADS}.
         */
        public Builder workerThreads(int n) {
            if (n > MAX_WORKER_THREADS) {
                throw new IllegalArgumentException("workerThreads must be at most " + MAX_WORKER_THREADS + ", got " + n);
            }
            this.workerThreads = positive(n, "workerThreads");
            return this;
        }

        /** False: thread-per-core, no stealing; tasks stay on the worker that spawned them. */
        public Builder workStealing(boolean on) {
            this.workStealing = on;
            return this;
        }

        /** Bound of the blocking pool (default 512); jobs beyond it queue. */
        public Builder maxBlockingThreads(int n) {
            this.maxBlockingThreads = positive(n, "maxBlockingThreads");
            return this;
        }

        /** How long an idle blocking thread lives (default 10 s). */
        public Builder blockingKeepAlive(Duration d) {
            this.blockingKeepAlive = positive(d, "blockingKeepAlive");
            return this;
        }

        /**
         * Prefix of thread names (default {@code eventide-worker}): workers are named
         * {@code prefix-N}, blocking threads {@code prefix-blocking-N}, compensators
         * {@code prefix-compensator-N}, and the parked spacer threads between the workers (see
         * the README) {@code prefix-spacer-N}.
         */
        public Builder threadNamePrefix(String prefix) {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("threadNamePrefix must be a non-blank string, got " + prefix);
            }
            this.threadNamePrefix = prefix;
            return this;
        }

        /** Called on each worker and blocking thread as it starts. */
        public Builder onThreadStart(Consumer<Thread> hook) {
            this.onThreadStart = nonNull(hook, "onThreadStart");
            return this;
        }

        /** Called on each worker and blocking thread just before it ends. */
        public Builder onThreadStop(Consumer<Thread> hook) {
            this.onThreadStop = nonNull(hook, "onThreadStop");
            return this;
        }

        /** Scheduler ticks between non-blocking polls of I/O and timers (default 61). */
        public Builder eventInterval(int ticks) {
            this.eventInterval = positive(ticks, "eventInterval");
            return this;
        }

        /**
         * Fixes the number of scheduler ticks between checks of the global queue ahead of a
         * worker's own. By default the multi-thread runtime adapts it to the time its tasks take
         * to poll (tokio 1.53's policy, with a target of 50 µs where tokio's is 200 µs: remote
         * work waits about that long behind local work at most),
         * and the current-thread runtime uses 31. At each check a worker of the multi-thread
         * runtime takes a fair share of the global queue (its length divided by the number of
         * workers, plus one), runs the first and queues the rest behind its own work.
         */
        public Builder globalQueueInterval(int ticks) {
            this.globalQueueInterval = positive(ticks, "globalQueueInterval");
            return this;
        }

        /** Whether a task woken by the running task runs next on the same worker (default true). */
        public Builder lifoSlot(boolean on) {
            this.lifoSlot = on;
            return this;
        }

        /** Start with the clock paused: virtual time for tests (see {@code Time}). */
        public Builder startPaused(boolean paused) {
            this.startPaused = paused;
            return this;
        }

        /** How long {@link Eventide#close()} waits for tasks and blocking jobs (default 10 s). */
        public Builder shutdownTimeout(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must be zero or positive, got " + d);
            }
            this.shutdownTimeout = d;
            return this;
        }

        /**
         * How long one task poll may run before the worker counts as blocked (default 100 ms);
         * {@link Duration#ZERO} turns the detector off. A monitor thread ({@code prefix-monitor}) samples the workers every half
         * threshold and reports a poll that ran past it once, while it is still running, with
         * the worker's stack (see {@link BlockedWorkerIncident}). The default is far above any
         * healthy poll and above the GC pauses of a healthy heap, so it does not fire on a
         * well-behaved program; lower it to hunt shorter stalls. On a current-thread runtime it
         * watches the thread inside {@code blockOn}.
         *
         * @throws NullPointerException     if {@code threshold} is null
         * @throws IllegalArgumentException if {@code threshold} is negative, or positive but
         *                                  under 1 ms (the monitor could not sample that often)
         */
        public Builder blockedWorkerThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "blockedWorkerThreshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("blockedWorkerThreshold must be zero (off) or positive, got "
                        + threshold);
            }
            if (!threshold.isZero() && threshold.toNanos() < 1_000_000) {
                throw new IllegalArgumentException("blockedWorkerThreshold must be zero (off) or at least 1 ms, got "
                        + threshold);
            }
            this.blockedWorkerThreshold = threshold;
            return this;
        }

        /**
         * How long a worker may stay blocked in one task poll before the tasks queued behind it
         * (its local queue and LIFO slot) are handed to a temporary replacement worker (default
         * 200 ms); {@link Duration#ZERO} turns compensation off. The replacement runs those
         * tasks, and whatever else is queued for the blocked worker, until the blocked poll
         * returns; it then gives back what it has not run and retires, so the number of workers
         * running tasks exceeds {@link #workerThreads} only while a poll is blocked. The
         * A worker that <em>computes</em> (its thread on a CPU for at least half the poll) is
         * not replaced while work stealing can reach the tasks behind it, since a replacement
         * could only time-share its CPU: the task in its LIFO slot, which stealers cannot reach,
         * is moved to the global queue instead. Without work stealing it is replaced. The
         * first rule of async code still holds: compensation keeps the other tasks moving, it
         * does not make a blocking call cheap (move such calls to {@code spawnBlocking} or
         * {@code blockInPlace}). Works independently of the {@linkplain #blockedWorkerThreshold
         * detector}. Multi-thread runtime only.
         *
         * <p>The price while it is on: the LIFO slot (where a task woken by the running task
         * waits to run next) is exchanged with an atomic instruction instead of plain stores, so
         * that the replacement can take its task (Go's scheduler does the same with its
         * {@code runnext} slot); that costs about 10 ns per spawn or wake that goes through the
         * slot (measured on workload W6: 8% of a chained spawn). Off, the slot is plain again.
         *
         * @throws NullPointerException     if {@code threshold} is null
         * @throws IllegalArgumentException if {@code threshold} is negative, or positive but
         *                                  under 1 ms
         */
        public Builder compensationThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "compensationThreshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("compensationThreshold must be zero (off) or positive, got "
                        + threshold);
            }
            if (!threshold.isZero() && threshold.toNanos() < 1_000_000) {
                throw new IllegalArgumentException("compensationThreshold must be zero (off) or at least 1 ms, got "
                        + threshold);
            }
            this.compensationThreshold = threshold;
            return this;
        }

        /**
         * How long a worker that has run out of work keeps looking for more before it parks
         * (default 50 µs); {@link Duration#ZERO}: it parks at once. Waking a parked thread takes a
         * system call from whoever brings the work and, on a virtual machine whose idle CPU has
         * halted, tens of microseconds before the worker runs: measured here, about 20 µs each
         * way, more than a thousand task polls. A worker that is still spinning when the work
         * arrives takes it within about a microsecond, and nobody makes the call. The spinning
         * worker yields its CPU between looks, so any other thread that needs the CPU gets it
         * first. At most half the workers spin at once (only searching workers do, see the
         * scheduler's documentation), and a worker spins once per time it runs dry, so an idle
         * runtime burns no CPU; a runtime that receives work at intervals a little longer than
         * this setting pays up to this much CPU time per interval. Go's scheduler and
         * {@code ForkJoinPool} spin before parking too. Multi-thread runtime only.
         *
         * @throws NullPointerException     if {@code spin} is null
         * @throws IllegalArgumentException if {@code spin} is negative or longer than 1 ms
         */
        public Builder spinBeforePark(Duration spin) {
            Objects.requireNonNull(spin, "spinBeforePark");
            if (spin.isNegative() || spin.compareTo(MAX_SPIN_BEFORE_PARK) > 0) {
                throw new IllegalArgumentException("spinBeforePark must be between zero (off) and "
                        + MAX_SPIN_BEFORE_PARK.toMillis() + " ms, got " + spin);
            }
            this.spinBeforePark = spin;
            return this;
        }

        /** Builds and starts the runtime. */
        public Eventide build() {
            return new Eventide(new RuntimeConfig(currentThread, currentThread ? 1 : workerThreads, workStealing,
                    maxBlockingThreads, blockingKeepAlive, threadNamePrefix, onThreadStart, onThreadStop,
                    eventInterval, globalQueueInterval, lifoSlot, startPaused, shutdownTimeout,
                    blockedWorkerThreshold, compensationThreshold, spinBeforePark));
        }

        private static int positive(int n, String option) {
            if (n <= 0) {
                throw new IllegalArgumentException(option + " must be positive, got " + n);
            }
            return n;
        }

        private static Duration positive(Duration d, String option) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be a positive duration, got " + d);
            }
            return d;
        }

        private static <T> T nonNull(T value, String option) {
            if (value == null) {
                throw new IllegalArgumentException(option + " must not be null");
            }
            return value;
        }
    }
}
