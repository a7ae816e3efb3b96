package dev.eventide.bench;

import dev.eventide.Eventide;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * How each system is built and shut down, in one place, so that every workload compares the same
 * configurations: {@code workers} worker threads everywhere.
 *
 * <ul>
 *   <li>Eventide: {@code Eventide.builder().workerThreads(workers)}, defaults otherwise
 *       (work stealing, LIFO slot).</li>
 *   <li>{@code ForkJoinPool}: {@code new ForkJoinPool(workers, default factory, null, true)}:
 *       async mode, i.e. FIFO local queues, the mode meant for event-style tasks that are never
 *       joined (the one virtual threads' scheduler uses).</li>
 *   <li>Virtual threads: {@code Executors.newVirtualThreadPerTaskExecutor()}; their scheduler's
 *       parallelism is the CPU count unless {@code -Djdk.virtualThreadScheduler.parallelism} says
 *       otherwise (the harness records it).</li>
 *   <li>Netty: {@code new MultiThreadIoEventLoopGroup(workers, NioIoHandler.newFactory())}; the
 *       {@code netty-epoll} system the same with {@code EpollIoHandler.newFactory()} (Netty's
 *       native transport, which its documentation recommends on Linux), only where
 *       {@code Epoll.isAvailable()}: elsewhere opening it throws {@link SkippedException}.</li>
 * </ul>
 */
final class Peers {
    private Peers() {
    }

    static Eventide eventide(int workers) {
        return Eventide.builder().workerThreads(workers).threadNamePrefix("bench-eventide").build();
    }

    static ForkJoinPool forkJoinPool(int workers) {
        return new ForkJoinPool(workers, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    }

    static ExecutorService virtualThreads() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    static MultiThreadIoEventLoopGroup netty(int workers) {
        return new MultiThreadIoEventLoopGroup(workers, NioIoHandler.newFactory());
    }

    /** Netty's group for {@code sys}: the NIO transport for {@code netty}, the native epoll one for {@code netty-epoll}. */
    static MultiThreadIoEventLoopGroup netty(Sys sys, int workers) {
        return new MultiThreadIoEventLoopGroup(workers, nettyTransport(sys));
    }

    /**
     * The I/O handler of {@code sys}'s Netty transport.
     *
     * @throws SkippedException if {@code sys} is {@code netty-epoll} and the native library does
     *     not load here (not Linux x86-64, or a failure Netty reports as the cause)
     * @throws IllegalArgumentException if {@code sys} is not a Netty system
     */
    static IoHandlerFactory nettyTransport(Sys sys) {
        return switch (sys) {
            case NETTY -> NioIoHandler.newFactory();
            case NETTY_EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new SkippedException("Netty's native epoll transport does not load here: "
                            + Epoll.unavailabilityCause());
                }
                yield EpollIoHandler.newFactory();
            }
            default -> throw new IllegalArgumentException("not a Netty system: " + sys.key);
        };
    }

    static void close(Eventide rt) {
        rt.shutdownTimeout(Duration.ofSeconds(5));
    }

    static void close(ForkJoinPool pool) throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Virtual threads cannot be stopped: callers stop their background loops first. */
    static void close(ExecutorService vthreads) throws InterruptedException {
        vthreads.shutdownNow();
        vthreads.awaitTermination(5, TimeUnit.SECONDS);
    }

    static void close(MultiThreadIoEventLoopGroup group) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
