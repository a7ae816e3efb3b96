package dev.eventide.bench;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.Poll;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * W4 yield_many: the main thread spawns 200 tasks; each yields 1,000 times, then signals the main
 * thread, which receives 200 signals. Timed from the first spawn to the 200th signal.
 *
 * <p>Yield per system: Eventide {@code yieldNow().await()} (poll futures: poll a {@code yieldNow()}
 * future, the runtime's yield as a state machine would);
 * virtual threads {@code Thread.yield()}; ForkJoinPool and Netty, which have no yield, re-submit
 * the task to the back of the pool's FIFO queue or of its event loop's queue
 * ({@code fjp-cf}: {@code CompletableFuture.runAsync}).
 */
final class W4YieldMany implements Workload {
    private static final int TASKS = 200;

    @Override
    public String id() {
        return "W4";
    }

    @Override
    public String name() {
        return "yield_many";
    }

    @Override
    public Unit unit() {
        return Unit.NS;
    }

    @Override
    public long opsPerIteration(Size size) {
        return (long) TASKS * yields(size);
    }

    @Override
    public String opName() {
        return "yield";
    }

    private static int yields(Size size) {
        return size.pick(1_000, 100);
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.allOf(Sys.class);
    }

    /** A task of the poll-based variant: yields {@code left} times, then done. */
    private static final class YieldingFuture implements Future<Void> {
        private final Countdown signal;
        private int left;
        private Future<Void> yielding;

        YieldingFuture(Countdown signal, int yields) {
            this.signal = signal;
            this.left = yields;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                if (yielding != null) {
                    if (yielding.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                    yielding = null;
                }
                if (left-- == 0) {
                    signal.signal();
                    return Poll.ready(null);
                }
                yielding = Eventide.yieldNow();
            }
        }
    }

    /** A task of the ForkJoinPool and Netty variants: re-submits itself {@code left} times, then signals. */
    private static final class Resubmitting implements Runnable {
        private final Countdown signal;
        private final java.util.concurrent.Executor executor;
        private final boolean completableFuture;
        private int left;

        Resubmitting(Countdown signal, java.util.concurrent.Executor executor, boolean completableFuture, int yields) {
            this.signal = signal;
            this.executor = executor;
            this.completableFuture = completableFuture;
            this.left = yields;
        }

        @Override
        public void run() {
            if (left-- > 0) {
                if (completableFuture) {
                    CompletableFuture.runAsync(this, executor);
                } else {
                    executor.execute(this);
                }
            } else {
                signal.signal();
            }
        }
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) {
        int yields = yields(size);
        Countdown signal = new Countdown();
        return switch (sys) {
            case EVENTIDE -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(signal, () -> {
                    for (int i = 0; i < TASKS; i++) {
                        h.spawn(() -> {
                            for (int y = 0; y < yields; y++) {
                                Eventide.yieldNow().await();
                            }
                            signal.signal();
                        });
                    }
                }, () -> Peers.close(rt));
            }
            case EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(signal, () -> {
                    for (int i = 0; i < TASKS; i++) {
                        h.spawn(new YieldingFuture(signal, yields));
                    }
                }, () -> Peers.close(rt));
            }
            case FJP, FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                boolean cf = sys == Sys.FJP_CF;
                yield trial(signal, () -> {
                    for (int i = 0; i < TASKS; i++) {
                        Resubmitting task = new Resubmitting(signal, pool, cf, yields);
                        if (cf) {
                            CompletableFuture.runAsync(task, pool);
                        } else {
                            pool.execute(task);
                        }
                    }
                }, () -> Peers.close(pool));
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                yield trial(signal, () -> {
                    for (int i = 0; i < TASKS; i++) {
                        vt.execute(() -> {
                            for (int y = 0; y < yields; y++) {
                                Thread.yield();
                            }
                            signal.signal();
                        });
                    }
                }, () -> Peers.close(vt));
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                yield trial(signal, () -> {
                    for (int i = 0; i < TASKS; i++) {
                        EventExecutor loop = group.next();
                        loop.execute(new Resubmitting(signal, loop, false, yields));
                    }
                }, () -> Peers.close(group));
            }
        };
    }

    private static Trial trial(Countdown signal, Runnable spawnAll, Closer closer) {
        return new Trial() {
            @Override
            public double iteration() throws Exception {
                long start = System.nanoTime();
                spawnAll.run();
                for (int i = 0; i < TASKS; i++) {
                    signal.await();
                }
                return System.nanoTime() - start;
            }

            @Override
            public void close() throws Exception {
                closer.close();
            }
        };
    }
}
