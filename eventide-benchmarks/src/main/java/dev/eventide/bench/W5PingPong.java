package dev.eventide.bench;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.Poll;
import dev.eventide.sync.Oneshot;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

/**
 * W5 ping_pong: the main thread
 * spawns a driver task and blocks; the driver spawns 1,000 ping tasks from inside; a ping creates
 * oneshots A and B, spawns a pong task that awaits A then sends on B, sends on A, awaits B and
 * counts down; the last one signals the main thread.
 *
 * <p>Oneshot and await per system:
 * <ul>
 *   <li>Eventide: {@code dev.eventide.sync.Oneshot}, awaited inside async blocks; poll futures:
 *       the driver, ping and pong are {@code Future} state machines that poll the receivers.</li>
 *   <li>{@code fjp-cf}: a {@code CompletableFuture} is the oneshot; awaiting it is registering
 *       the rest of the task as a {@code thenRunAsync} stage on the pool (the woken part runs as
 *       a pool task, as a woken task would).</li>
 *   <li>virtual threads: a {@code CompletableFuture} is the oneshot, {@code join()} blocks the
 *       virtual thread.</li>
 *   <li>Netty: a {@code Promise} of the ping's event loop, awaiting is a listener; the driver
 *       deals pings to the loops round-robin ({@code group.next()}), as Netty has no stealing;
 *       a pong runs on its ping's loop.</li>
 * </ul>
 */
final class W5PingPong implements Workload {
    @Override
    public String id() {
        return "W5";
    }

    @Override
    public String name() {
        return "ping_pong";
    }

    @Override
    public Unit unit() {
        return Unit.NS;
    }

    @Override
    public long opsPerIteration(Size size) {
        return pings(size);
    }

    @Override
    public String opName() {
        return "ping";
    }

    private static int pings(Size size) {
        return size.pick(1_000, 200);
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.of(Sys.EVENTIDE, Sys.EVENTIDE_POLL, Sys.FJP_CF, Sys.VTHREADS, Sys.NETTY, Sys.NETTY_EPOLL);
    }

    @Override
    public Trial open(Sys sys, int workers, Size size) {
        int n = pings(size);
        Countdown countdown = new Countdown();
        return switch (sys) {
            case EVENTIDE -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(countdown, n, () -> h.spawn(() -> {
                    for (int i = 0; i < n; i++) {
                        Eventide.spawn(() -> {
                            var a = Oneshot.<Boolean>channel();
                            var b = Oneshot.<Boolean>channel();
                            Eventide.spawn(() -> {
                                a.rx().await();
                                b.tx().send(Boolean.TRUE);
                            });
                            a.tx().send(Boolean.TRUE);
                            b.rx().await();
                            countdown.countDown();
                        });
                    }
                }), () -> Peers.close(rt));
            }
            case EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                yield trial(countdown, n, () -> h.spawn((Future<Void>) cx -> {
                    for (int i = 0; i < n; i++) {
                        Eventide.spawn(new Ping(countdown));
                    }
                    return Poll.ready(null);
                }), () -> Peers.close(rt));
            }
            case FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                Runnable ping = () -> {
                    CompletableFuture<Void> a = new CompletableFuture<>();
                    CompletableFuture<Void> b = new CompletableFuture<>();
                    pool.execute(() -> a.thenRunAsync(() -> b.complete(null), pool));
                    a.complete(null);
                    b.thenRunAsync(countdown::countDown, pool);
                };
                yield trial(countdown, n, () -> pool.execute(() -> {
                    for (int i = 0; i < n; i++) {
                        pool.execute(ping);
                    }
                }), () -> Peers.close(pool));
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                Runnable ping = () -> {
                    CompletableFuture<Void> a = new CompletableFuture<>();
                    CompletableFuture<Void> b = new CompletableFuture<>();
                    vt.execute(() -> {
                        a.join();
                        b.complete(null);
                    });
                    a.complete(null);
                    b.join();
                    countdown.countDown();
                };
                yield trial(countdown, n, () -> vt.execute(() -> {
                    for (int i = 0; i < n; i++) {
                        vt.execute(ping);
                    }
                }), () -> Peers.close(vt));
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                yield trial(countdown, n, () -> group.next().execute(() -> {
                    for (int i = 0; i < n; i++) {
                        EventExecutor loop = group.next();
                        loop.execute(() -> {
                            Promise<Void> a = loop.newPromise();
                            Promise<Void> b = loop.newPromise();
                            loop.execute(() -> a.addListener(f -> b.setSuccess(null)));
                            a.setSuccess(null);
                            b.addListener(f -> countdown.countDown());
                        });
                    }
                }), () -> Peers.close(group));
            }
            default -> throw new IllegalArgumentException("W5 is not implemented on " + sys.key + " here");
        };
    }

    /** The poll-future ping: sends on A, then awaits B (the pong's reply), then counts down. */
    private static final class Ping implements Future<Void> {
        private final Countdown countdown;
        private Oneshot.Receiver<Boolean> b;

        Ping(Countdown countdown) {
            this.countdown = countdown;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (b == null) {
                var a = Oneshot.<Boolean>channel();
                var reply = Oneshot.<Boolean>channel();
                Eventide.spawn(new Pong(a.rx(), reply.tx()));
                a.tx().send(Boolean.TRUE);
                b = reply.rx();
            }
            if (b.poll(cx).isPending()) {
                return Poll.pending();
            }
            countdown.countDown();
            return Poll.ready(null);
        }
    }

    /** The poll-future pong: awaits A, then sends on B. */
    private record Pong(Oneshot.Receiver<Boolean> a, Oneshot.Sender<Boolean> b) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            if (a.poll(cx).isPending()) {
                return Poll.pending();
            }
            b.send(Boolean.TRUE);
            return Poll.ready(null);
        }
    }

    private static Trial trial(Countdown countdown, int n, Runnable spawnDriver, Closer closer) {
        return new Trial() {
            @Override
            public double iteration() throws Exception {
                countdown.reset(n);
                long start = System.nanoTime();
                spawnDriver.run();
                countdown.await();
                long elapsed = System.nanoTime() - start;
                Check.equal(countdown.remaining(), 0, "pings still to finish after the signal");
                return elapsed;
            }

            @Override
            public void close() throws Exception {
                closer.close();
            }
        };
    }
}
