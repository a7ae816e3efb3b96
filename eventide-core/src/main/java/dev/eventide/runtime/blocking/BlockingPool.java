package dev.eventide.runtime.blocking;

import dev.eventide.JoinHandle;
import dev.eventide.runtime.RuntimeConfig;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The elastic pool behind {@code spawnBlocking} (DESIGN §5; tokio's {@code blocking/pool.rs}).
 *
 * <p>A job goes to an idle thread if there is one; otherwise a new thread is started, up to
 * {@code maxBlockingThreads}; beyond that, jobs wait in FIFO order. A thread that has been idle
 * for {@code blockingKeepAlive} ends. Blocking work is slow by definition, so one lock guards the
 * pool's state: it is never taken on the async tasks' spawn, wake or poll paths.
 *
 * <p>Shutdown stops accepting jobs, cancels the queued ones, and waits for running ones up to
 * the timeout; threads still running then are interrupted, which ends most blocking calls. A
 * {@linkplain #spawnMandatory mandatory} job is not cancelled while queued: the pool's threads
 * run it before they exit, within the same timeout.
 */
public final class BlockingPool {
    private final RuntimeConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition allExited = lock.newCondition();
    // guarded by lock:
    private final ArrayDeque<BlockingTask<?>> queue = new ArrayDeque<>();
    private final Set<Thread> threads = new HashSet<>();
    private int idle;
    private int pendingSignals; // idle threads already signalled, not yet awake
    // Threads that finished a job and will look at the queue right after publishing its result,
    // and how many of them new jobs already count on: a strictly sequential chain of
    // spawnBlocking + join reuses one thread instead of racing it to start another.
    private int finishing;
    private int finishingClaimed;
    private int nextThreadId;
    /** Threads that left the pool and are running their stop hook. */
    private final Set<Thread> exiting = new HashSet<>();
    private boolean shutdown;

    public BlockingPool(RuntimeConfig config) {
        this.config = config;
    }

    /** Runs {@code body} on a pool thread. */
    public <T> JoinHandle<T> spawn(Callable<T> body) {
        return spawn(body, false);
    }

    /**
     * Runs {@code body} on a pool thread even if the pool shuts down before a thread takes it
     * (tokio's {@code spawn_mandatory_blocking}): for work that was handed over as done, such as
     * a file write whose caller has moved on. Aborting the handle still cancels it; a job spawned
     * after the shutdown began is cancelled at once, as any other.
     */
    public <T> JoinHandle<T> spawnMandatory(Callable<T> body) {
        return spawn(body, true);
    }

    private <T> JoinHandle<T> spawn(Callable<T> body, boolean mandatory) {
        BlockingTask<T> task = new BlockingTask<>(body, mandatory);
        Thread toStart = null;
        lock.lock();
        try {
            if (shutdown) {
                task.abort();
                return task;
            }
            queue.addLast(task);
            if (idle > pendingSignals) {
                pendingSignals++;
                workAvailable.signal();
            } else if (finishing > finishingClaimed) {
                finishingClaimed++;
            } else if (threads.size() < config.maxBlockingThreads()) {
                toStart = Thread.ofPlatform()
                        .name(config.threadNamePrefix() + "-blocking-" + nextThreadId++)
                        .daemon(true)
                        .unstarted(this::runThread);
                threads.add(toStart);
            }
        } finally {
            lock.unlock();
        }
        if (toStart != null) {
            toStart.start();
        }
        return task;
    }

    /** Whether a job is queued or running (the virtual clock does not auto-advance meanwhile). */
    public boolean isBusy() {
        lock.lock();
        try {
            return !queue.isEmpty() || threads.size() > idle;
        } finally {
            lock.unlock();
        }
    }

    private void runThread() {
        Thread me = Thread.currentThread();
        runHook(config.onThreadStart(), me);
        long keepAlive = config.blockingKeepAlive().toNanos();
        lock.lock();
        try {
            for (;;) {
                BlockingTask<?> task = queue.pollFirst();
                if (task != null) {
                    lock.unlock();
                    Runnable publish = null;
                    try {
                        if (task.start()) {
                            publish = task.compute(); // never throws: failures become the outcome
                        }
                    } finally {
                        Thread.interrupted(); // an interrupt aimed at one job must not hit the next
                    }
                    if (publish == null) {
                        lock.lock();
                        continue;
                    }
                    lock.lock();
                    finishing++;
                    lock.unlock();
                    try {
                        publish.run(); // wakes joiners, who may spawn the next job right away
                    } finally {
                        lock.lock(); // held from here until the queue is polled again: no gap
                        finishing--;
                        if (finishingClaimed > finishing) {
                            finishingClaimed = finishing;
                        }
                    }
                    continue;
                }
                if (shutdown) {
                    break;
                }
                idle++;
                long left;
                try {
                    left = workAvailable.awaitNanos(keepAlive);
                } catch (InterruptedException e) {
                    left = 0;
                } finally {
                    idle--;
                }
                if (pendingSignals > 0) {
                    pendingSignals--;
                } else if (left <= 0 && queue.isEmpty()) {
                    break; // idle for the whole keep-alive: retire
                }
            }
        } finally {
            // Leave the live count first (threads() is what tests and metrics see), but stay
            // counted as exiting until the stop hook ran: shutdown waits for both.
            threads.remove(me);
            exiting.add(me);
            lock.unlock();
            try {
                runHook(config.onThreadStop(), me);
            } finally {
                lock.lock();
                exiting.remove(me);
                allExited.signalAll();
                lock.unlock();
            }
        }
    }

    private static void runHook(java.util.function.Consumer<Thread> hook, Thread t) {
        if (hook == null) {
            return;
        }
        try {
            hook.accept(t);
        } catch (Throwable e) {
            System.getLogger("dev.eventide.runtime").log(System.Logger.Level.WARNING,
                    "thread hook failed on " + t.getName(), e);
        }
    }

    /** Threads alive in the pool now. */
    public int threads() {
        lock.lock();
        try {
            return threads.size();
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting for a job. */
    public int idleThreads() {
        lock.lock();
        try {
            return idle;
        } finally {
            lock.unlock();
        }
    }

    /** Jobs waiting for a thread. */
    public int queueDepth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the pool: no new jobs, queued jobs cancelled (but mandatory ones run), running jobs
     * waited for up to {@code timeoutNanos}, then interrupted (and waited for as long again).
     * Returns whether every thread ended within the timeout, without being interrupted.
     */
    public boolean shutdown(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        java.util.List<Thread> toJoin;
        lock.lock();
        try {
            shutdown = true;
            toJoin = new java.util.ArrayList<>(threads);
            toJoin.addAll(exiting);
            // A thread leaves only once the queue is empty, so the mandatory jobs left in it run.
            queue.removeIf(t -> {
                if (t.mandatory) {
                    return false;
                }
                t.abort();
                return true;
            });
            workAvailable.signalAll();
            if (!awaitExit(deadline)) {
                // Too late: interrupt what still runs (ending most blocking calls), reap those
                // threads, and report that the pool did not stop within the timeout.
                threads.forEach(Thread::interrupt);
                awaitExit(System.nanoTime() + Math.max(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(100)));
                return false;
            }
        } finally {
            lock.unlock();
        }
        // Out of the pool is not yet ended (a thread signals on its way out): join them, so that
        // none outlives the runtime's close.
        boolean ended = true;
        for (Thread t : toJoin) {
            if (t == Thread.currentThread()) {
                continue; // a blocking job closing its own runtime
            }
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(java.time.Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended &= !t.isAlive();
        }
        return ended;
    }

    private boolean awaitExit(long deadline) {
        while (!threads.isEmpty() || !exiting.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                allExited.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
