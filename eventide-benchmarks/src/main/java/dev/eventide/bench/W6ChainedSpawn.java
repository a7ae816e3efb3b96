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
 * W6 chained_spawn: the main thread spawns one task that calls {@code step(1000)}; {@code step(n)}
 * signals the main thread if {@code n == 0}, else spawns, from inside, a task that calls
 * {@code step(n - 1)}, and ends. Timed from the first spawn to the signal.
 *
 * <p>Spawn from inside per system: Eventide {@code Eventide.spawn}; ForkJoinPool
 * {@code pool.execute} from the worker ({@code fjp-cf}: {@code CompletableFuture.runAsync});
 * virtual threads a new virtual thread; Netty {@code execute} on the current event loop.
 */
final class W6ChainedSpawn implements Workload {
    @Override
    public String id() {
        return "W6";
    }

    @Override
    public String name() {
        return "chained_spawn";
    }

    @Override
    public Unit unit() {
        return Unit.NS;
    }

    @Override
    public long opsPerIteration(Size size) {
        return depth(size);
    }

    @Override
    public String opName() {
        return "spawn";
    }

    private static int depth(Size size) {
        return size.pick(1_000, 1_000);
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.allOf(Sys.class);
    }

    private static void blockStep(Countdown signal, int n) {
        if (n == 0) {
            signal.signal();
        } else {
            Eventide.spawn(() -> blockStep(signal, n - 1));
        }
    }

    private record PollStep(Countdown signal, int n) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            if (n == 0) {
                signal.signal();
            } else {
                Eventide.spawn(new PollStep(signal, n - 1));
            }
            return Poll.ready(null);
        }
    }

    private static void executorStep(Countdown signal, java.util.concurrent.Executor executor, boolean cf, int n) {
        if (n == 0) {
            signal.signal();
        } else if (cf) {
            CompletableFuture.runAsync(() -> executorStep(signal, executor, true, n - 1), executor);
        } else {
            executor.execute(() -> executorStep(signal, executor, false, n - 1));
        }
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) {
        int depth = depth(size);
        Countdown signal = new Countdown();
        return switch (sys) {
            case EVENTIDE -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(signal, () -> h.spawn(() -> blockStep(signal, depth)), () -> Peers.close(rt));
            }
            case EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(signal, () -> h.spawn(new PollStep(signal, depth)), () -> Peers.close(rt));
            }
            case FJP, FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                boolean cf = sys == Sys.FJP_CF;
                yield trial(signal, () -> {
                    if (cf) {
                        CompletableFuture.runAsync(() -> executorStep(signal, pool, true, depth), pool);
                    } else {
                        pool.execute(() -> executorStep(signal, pool, false, depth));
                    }
                }, () -> Peers.close(pool));
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                yield trial(signal, () -> vt.execute(() -> executorStep(signal, vt, false, depth)), () -> Peers.close(vt));
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                yield trial(signal, () -> {
                    EventExecutor loop = group.next();
                    loop.execute(() -> executorStep(signal, loop, false, depth));
                }, () -> Peers.close(group));
            }
        };
    }

    private static Trial trial(Countdown signal, Runnable first, Closer closer) {
        return new Trial() {
            @Override
            public double iteration() throws Exception {
                long start = System.nanoTime();
                first.run();
                signal.await();
                return System.nanoTime() - start;
            }

            @Override
            public void close() throws Exception {
                closer.close();
            }
        };
    }
}
