package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.Poll;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * W1 spawn_many_local: the main thread spawns 10,000 tasks that each decrement a countdown; the
 * last one signals the main thread. Timed from the first spawn to the signal.
 */
final class W1SpawnManyLocal implements Workload {
    @Override
    public String id() {
        return "W1";
    }

    @Override
    public String name() {
        return "spawn_many_local";
    }

    @Override
    public Unit unit() {
        return Unit.NS;
    }

    @Override
    public long opsPerIteration(Size size) {
        return tasks(size);
    }

    @Override
    public String opName() {
        return "task";
    }

    private static int tasks(Size size) {
        return size.pick(10_000, 1_000);
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.allOf(Sys.class);
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) {
        int n = tasks(size);
        Countdown countdown = new Countdown();
        Runnable body = countdown::countDown;
        return switch (sys) {
            case EVENTIDE -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(countdown, n, () -> {
                    for (int i = 0; i < n; i++) {
                        h.spawn(body);
                    }
                }, () -> Peers.close(rt));
            }
            case EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(countdown, n, () -> {
                    for (int i = 0; i < n; i++) {
                        h.spawn((Future<Void>) cx -> {
                            countdown.countDown();
                            return Poll.ready(null);
                        });
                    }
                }, () -> Peers.close(rt));
            }
            case FJP -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                yield trial(countdown, n, () -> {
                    for (int i = 0; i < n; i++) {
                        pool.execute(body);
                    }
                }, () -> Peers.close(pool));
            }
            case FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                yield trial(countdown, n, () -> {
                    for (int i = 0; i < n; i++) {
                        CompletableFuture.runAsync(body, pool);
                    }
                }, () -> Peers.close(pool));
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                yield trial(countdown, n, () -> {
                    for (int i = 0; i < n; i++) {
                        vt.execute(body);
                    }
                }, () -> Peers.close(vt));
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                yield trial(countdown, n, () -> {
                    for (int i = 0; i < n; i++) {
                        group.next().execute(body);
                    }
                }, () -> Peers.close(group));
            }
        };
    }

    private static Trial trial(Countdown countdown, int n, Runnable spawnAll, Closer closer) {
        return new Trial() {
            @Override
            public double iteration() throws Exception {
                countdown.reset(n);
                long start = System.nanoTime();
                spawnAll.run();
                countdown.await();
                long elapsed = System.nanoTime() - start;
                Check.equal(countdown.remaining(), 0, "tasks still to finish after the signal");
                return elapsed;
            }

            @Override
            public void close() throws Exception {
                closer.close();
            }
        };
    }
}
