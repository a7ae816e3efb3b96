package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * W2 and W3's shared shape: the main thread spawns N tasks with empty bodies, keeps every join
 * handle in spawn order, then joins them one by one in that order. Timed from the first spawn to
 * the last join. W2 runs it on idle workers; W3a and W3b on workers kept busy by background
 * load that a subclass starts once, before the first warm-up, and stops when the trial closes.
 */
abstract class SpawnManyRemote implements Workload {
    private static final Runnable EMPTY = () -> { };
    private static final Future<Void> READY = cx -> Poll.ready(null);

    /** Tasks per iteration. */
    abstract int tasks(Size size);

    /**
     * Starts the background load on the system just built; it runs while {@code flag} is set.
     * Returns what waits for it to stop after the flag is cleared (before the system shuts down).
     */
    abstract Closer startBackground(Sys sys, Object system, int workers, AtomicBoolean flag) throws Exception;

    @Override
    public final Unit unit() {
        return Unit.NS;
    }

    @Override
    public final long opsPerIteration(Size size) {
        return tasks(size);
    }

    @Override
    public final String opName() {
        return "task";
    }

    @Override
    public final Set<Sys> systems() {
        return EnumSet.allOf(Sys.class);
    }

    /** W3's background load makes an iteration slow (seconds on 2 CPUs): WORKLOADS.md's minimum, 5 + 20. */
    @Override
    public int warmupIterations(Size size) {
        return size.quick() ? 2 : 5;
    }

    @Override
    public int timedIterations(Size size) {
        return size.quick() ? 5 : 20;
    }

    @Override
    public final Trial open(Sys sys, int workers, Size size) throws Exception {
        int n = tasks(size);
        AtomicBoolean flag = new AtomicBoolean(true);
        return switch (sys) {
            case EVENTIDE, EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                List<JoinHandle<Void>> handles = new ArrayList<>(n);
                boolean poll = sys == Sys.EVENTIDE_POLL;
                yield trial(sys, rt, workers, flag, () -> {
                    for (int i = 0; i < n; i++) {
                        handles.add(poll ? h.spawn(READY) : h.spawn(EMPTY));
                    }
                    for (JoinHandle<Void> jh : handles) {
                        jh.join();
                    }
                    handles.clear();
                }, () -> Peers.close(rt));
            }
            case FJP -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                List<ForkJoinTask<?>> handles = new ArrayList<>(n);
                yield trial(sys, pool, workers, flag, () -> {
                    for (int i = 0; i < n; i++) {
                        handles.add(pool.submit(EMPTY));
                    }
                    for (ForkJoinTask<?> t : handles) {
                        t.get();   // not join(): get() is interruptible, so a starved iteration can be stopped
                    }
                    handles.clear();
                }, () -> Peers.close(pool));
            }
            case FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                List<CompletableFuture<Void>> handles = new ArrayList<>(n);
                yield trial(sys, pool, workers, flag, () -> {
                    for (int i = 0; i < n; i++) {
                        handles.add(CompletableFuture.runAsync(EMPTY, pool));
                    }
                    for (CompletableFuture<Void> f : handles) {
                        f.get();
                    }
                    handles.clear();
                }, () -> Peers.close(pool));
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                List<java.util.concurrent.Future<?>> handles = new ArrayList<>(n);
                yield trial(sys, vt, workers, flag, () -> {
                    for (int i = 0; i < n; i++) {
                        handles.add(vt.submit(EMPTY));
                    }
                    for (java.util.concurrent.Future<?> f : handles) {
                        f.get();
                    }
                    handles.clear();
                }, () -> Peers.close(vt));
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                List<io.netty.util.concurrent.Future<?>> handles = new ArrayList<>(n);
                yield trial(sys, group, workers, flag, () -> {
                    for (int i = 0; i < n; i++) {
                        handles.add(group.next().submit(EMPTY));
                    }
                    for (io.netty.util.concurrent.Future<?> f : handles) {
                        f.get();
                    }
                    handles.clear();
                }, () -> Peers.close(group));
            }
        };
    }

    /**
     * W3's background pass on a system with no yield to loop on, or no spawn but a submit: while
     * {@code flag} is set it runs {@code stall} and submits itself again through {@code resubmit}
     * (called from the worker running it); the first pass that sees the flag cleared counts
     * {@code stopped} down and ends. W3a's loops and W3b's chains are this one task; they differ in
     * how the first pass is submitted (W3b's from inside a worker, like the rest of a chain).
     */
    static Runnable resubmitting(AtomicBoolean flag, Runnable stall, Executor resubmit, CountDownLatch stopped) {
        return new Runnable() {
            @Override
            public void run() {
                if (flag.get()) {
                    stall.run();
                    resubmit.execute(this);
                } else {
                    stopped.countDown();
                }
            }
        };
    }

    /** The executor a ForkJoinPool task re-submits through: the pool itself ({@code fjp}) or {@code CompletableFuture.runAsync} on it ({@code fjp-cf}). */
    static Executor forkJoinResubmit(Sys sys, ForkJoinPool pool) {
        return sys == Sys.FJP ? pool : task -> CompletableFuture.runAsync(task, pool);
    }

    /** Waits (bounded) until every background loop has seen the flag cleared and stopped re-submitting. */
    static void awaitStopped(CountDownLatch stopped) throws InterruptedException {
        if (!stopped.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("background load did not stop within 5 s of the flag being cleared");
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private Trial trial(Sys sys, Object system, int workers, AtomicBoolean flag, Body body, Closer shutdown)
            throws Exception {
        Closer background;
        try {
            background = startBackground(sys, system, workers, flag);
        } catch (Exception | Error e) {
            shutdown.close();
            throw e;
        }
        return new Trial() {
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public double iteration() throws Exception {
                long start = System.nanoTime();
                body.run();
                return System.nanoTime() - start;
            }

            @Override
            public void close() throws Exception {
                if (!closed.compareAndSet(false, true)) {
                    return;
                }
                flag.set(false);
                try {
                    background.close();
                } finally {
                    shutdown.close();
                }
            }
        };
    }
}
