package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Poll;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * W3b spawn_many_remote_busy2: W2 with 1,000 tasks while {@code workers} never-ending chains keep
 * the workers busy: a link stalls, then spawns the next link from inside, and ends. A runtime
 * whose LIFO slot has no cap starves the remote spawns here; the harness's 10 s iteration limit
 * then reports the workload as failed.
 *
 * <p>Spawn from inside per system: Eventide {@code Eventide.spawn}; ForkJoinPool
 * {@code pool.execute} (or {@code CompletableFuture.runAsync}) from the worker, which pushes to
 * its own queue; virtual threads a new virtual thread; Netty {@code execute} on the link's own
 * event loop.
 */
final class W3bSpawnManyRemoteBusy2 extends SpawnManyRemote {
    @Override
    public String id() {
        return "W3b";
    }

    @Override
    public String name() {
        return "spawn_many_remote_busy2";
    }

    @Override
    int tasks(Size size) {
        return size.pick(1_000, 200);
    }

    /** A link of an Eventide chain written as an async block. */
    private record BlockLink(AtomicBoolean flag) implements Runnable {
        @Override
        public void run() {
            if (flag.get()) {
                Stall.stall();
                Eventide.spawn(new BlockLink(flag));
            }
        }
    }

    /** A link of an Eventide chain written as a poll-based future. */
    private record PollLink(AtomicBoolean flag) implements Future<Void> {
        @Override
        public Poll<Void> poll(dev.eventide.Context cx) {
            if (flag.get()) {
                Stall.stall();
                Eventide.spawn(new PollLink(flag));
            }
            return Poll.ready(null);
        }
    }

    @Override
    Closer startBackground(Sys sys, Object system, int workers, AtomicBoolean flag) {
        // a chain's last link counts down when it sees the flag cleared
        CountDownLatch stopped = new CountDownLatch(workers);
        switch (sys) {
            case EVENTIDE, EVENTIDE_POLL -> {
                Eventide rt = (Eventide) system;
                for (int i = 0; i < workers; i++) {
                    if (sys == Sys.EVENTIDE) {
                        rt.handle().spawn(() -> {
                            Eventide.spawn(new BlockLink(flag));
                        });
                    } else {
                        rt.handle().spawn((Future<Void>) cx -> {
                            Eventide.spawn(new PollLink(flag));
                            return Poll.ready(null);
                        });
                    }
                }
                // the chains end at their next link once the flag is cleared; shutdown cancels the rest
                return () -> { };
            }
            case FJP, FJP_CF -> {
                ForkJoinPool pool = (ForkJoinPool) system;
                Executor resubmit = forkJoinResubmit(sys, pool);
                for (int i = 0; i < workers; i++) {
                    Runnable link = resubmitting(flag, Stall::stall, resubmit, stopped);
                    pool.execute(() -> pool.execute(link));
                }
                return () -> awaitStopped(stopped);
            }
            case VTHREADS -> {
                ExecutorService vt = (ExecutorService) system;
                for (int i = 0; i < workers; i++) {
                    Runnable link = resubmitting(flag, Stall::spin, vt, stopped);
                    vt.execute(() -> vt.execute(link));
                }
                return () -> awaitStopped(stopped);
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = (MultiThreadIoEventLoopGroup) system;
                for (int i = 0; i < workers; i++) {
                    EventExecutor loop = group.next();
                    Runnable link = resubmitting(flag, Stall::stall, loop, stopped);
                    loop.execute(() -> loop.execute(link));
                }
                return () -> awaitStopped(stopped);
            }
            default -> throw new IllegalArgumentException("no background load for " + sys);
        }
    }
}
