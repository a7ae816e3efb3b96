package dev.eventide.bench;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * W3a spawn_many_remote_busy1: W2 while 2 × workers background tasks loop
 * {@code while (flag) { yield; stall; }}.
 *
 * <p>Yield per system: Eventide {@code yieldNow().await()} (poll futures: poll a
 * {@code yieldNow()} future, the runtime's yield as a state machine would); ForkJoinPool and Netty have no yield, so a loop pass is a task that re-submits itself
 * to the back of the pool's (FIFO) or event loop's queue; virtual threads {@code Thread.yield()}.
 */
final class W3aSpawnManyRemoteBusy1 extends SpawnManyRemote {
    @Override
    public String id() {
        return "W3a";
    }

    @Override
    public String name() {
        return "spawn_many_remote_busy1";
    }

    @Override
    int tasks(Size size) {
        return size.pick(10_000, 1_000);
    }

    @Override
    Closer startBackground(Sys sys, Object system, int workers, AtomicBoolean flag) {
        int loops = 2 * workers;
        // the loops that re-submit themselves count down when they see the flag cleared
        CountDownLatch stopped = new CountDownLatch(loops);
        switch (sys) {
            case EVENTIDE, EVENTIDE_POLL -> {
                Eventide rt = (Eventide) system;
                List<JoinHandle<Void>> handles = new ArrayList<>();
                for (int i = 0; i < loops; i++) {
                    handles.add(sys == Sys.EVENTIDE
                            ? rt.handle().spawn(() -> {
                                while (flag.get()) {
                                    Eventide.yieldNow().await();
                                    Stall.stall();
                                }
                            })
                            : rt.handle().spawn(new Future<Void>() {
                                private Future<Void> yielding;

                                @Override
                                public Poll<Void> poll(Context cx) {
                                    for (;;) {
                                        if (yielding != null) {
                                            if (yielding.poll(cx).isPending()) {
                                                return Poll.pending();
                                            }
                                            yielding = null;
                                            Stall.stall();
                                        }
                                        if (!flag.get()) {
                                            return Poll.ready(null);
                                        }
                                        yielding = Eventide.yieldNow();
                                    }
                                }
                            }));
                }
                return () -> {
                    for (JoinHandle<Void> h : handles) {
                        h.toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
                    }
                };
            }
            case FJP, FJP_CF -> {
                ForkJoinPool pool = (ForkJoinPool) system;
                Executor resubmit = forkJoinResubmit(sys, pool);
                for (int i = 0; i < loops; i++) {
                    pool.execute(resubmitting(flag, Stall::stall, resubmit, stopped));
                }
                return () -> awaitStopped(stopped);
            }
            case VTHREADS -> {
                ExecutorService vt = (ExecutorService) system;
                for (int i = 0; i < loops; i++) {
                    vt.execute(() -> {
                        while (flag.get()) {
                            Thread.yield();
                            Stall.spin();
                        }
                    });
                }
                return () -> { };
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = (MultiThreadIoEventLoopGroup) system;
                for (int i = 0; i < loops; i++) {
                    EventExecutor loop = group.next();
                    loop.execute(resubmitting(flag, Stall::stall, loop, stopped));
                }
                return () -> awaitStopped(stopped);
            }
            default -> throw new IllegalArgumentException("no background load for " + sys);
        }
    }

}
