package dev.eventide.bench;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.Poll;
import dev.eventide.time.Sleep;
import dev.eventide.time.Time;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W8 timers: a million sleeping tasks. The main thread draws the delays (xorshift64, seed
 * {@code 0x9E3779B97F4A7C15}, {@code x mod 1000} read unsigned), drawing the i-th just before
 * spawning the i-th task; each task, when it first runs, sets {@code deadline = now + delay},
 * sleeps until it on its system's timer, records how late it woke and counts down. Figures: wall
 * time (first spawn to the main thread's signal; the value), spawn time, lateness p50 / p99 / max
 * by nearest rank, and the process's peak RSS ({@code VmHWM}).
 *
 * <p>Sleep per system: Eventide {@code Time.sleep(delay).await()} in an async block, or a
 * {@code Future} that polls {@code Time.sleep}'s {@link Sleep}; {@code fjp-cf} a
 * {@code CompletableFuture.runAsync} task that hands its continuation to
 * {@code CompletableFuture.delayedExecutor(delay, MILLISECONDS, pool)} (the JDK's timer thread
 * submits it to the pool when due); virtual threads {@code Thread.sleep}; Netty
 * {@code eventLoop.schedule} on the task's own event loop.
 *
 * <p>Quick mode: 10,000 tasks, delays {@code x mod 100}.
 */
final class W8Timers extends SingleRunWorkload {
    private static final long SEED = 0x9E3779B97F4A7C15L;

    @Override
    public String id() {
        return "W8";
    }

    @Override
    public String name() {
        return "timers";
    }

    @Override
    public Unit unit() {
        return Unit.MS;
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.of(Sys.EVENTIDE, Sys.EVENTIDE_POLL, Sys.FJP_CF, Sys.VTHREADS, Sys.NETTY, Sys.NETTY_EPOLL);
    }

    @Override
    String valueKey() {
        return "wall_ms";
    }

    @Override
    List<String> extraKeys() {
        return List.of("spawn_ms", "p50_lateness_ms", "p99_lateness_ms", "max_lateness_ms", "peak_rss_mib");
    }

    static int tasks(Size size) {
        return size.pick(1_000_000, 10_000);
    }

    static int delayBound(Size size) {
        return size.pick(1000, 100);
    }

    /** One xorshift64 step (WORKLOADS.md's generator): the new state is the drawn value. */
    static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** Checks the generator against WORKLOADS.md's published first delays and sum, before any run relies on it. */
    static void checkDelays() {
        long[] first = {989, 574, 30, 260, 268, 465, 367, 450};
        long x = SEED;
        long sum = 0;
        for (int i = 0; i < 1_000_000; i++) {
            x = next(x);
            long d = Long.remainderUnsigned(x, 1000);
            if (i < first.length && d != first[i]) {
                throw new IllegalStateException("delay " + i + " is " + d + ", WORKLOADS.md says " + first[i]);
            }
            sum += d;
        }
        Check.equal(sum, 499_969_304L, "sum of the million W8 delays");
    }

    /** What the tasks share: lateness per task, the countdown, the main thread's signal. */
    private static final class Shared {
        final long[] lateness;
        final AtomicInteger remaining;
        final CountDownLatch done = new CountDownLatch(1);

        Shared(int tasks) {
            lateness = new long[tasks];
            remaining = new AtomicInteger(tasks);
        }

        /** Records task {@code i}'s lateness (0 if it woke early, which no timer should do) and counts down. */
        void woke(int i, long deadlineNanos) {
            lateness[i] = Math.max(0, System.nanoTime() - deadlineNanos);
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        }
    }

    /** The poll-based task: computes its deadline on its first poll, then polls its {@link Sleep}. */
    private static final class SleepTask implements Future<Void> {
        private final Shared shared;
        private final int index;
        private final long delayMillis;
        private long deadline;
        private Sleep sleep;

        SleepTask(Shared shared, int index, long delayMillis) {
            this.shared = shared;
            this.index = index;
            this.delayMillis = delayMillis;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (sleep == null) {
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
                sleep = Time.sleep(Duration.ofMillis(delayMillis));
            }
            if (!sleep.poll(cx).isReady()) {
                return Poll.pending();
            }
            shared.woke(index, deadline);
            return Poll.ready(null);
        }

        @Override
        public void cancel() {
            if (sleep != null) {
                sleep.cancel();
            }
        }
    }

    /** Spawns task {@code i} with its delay. */
    @FunctionalInterface
    private interface Spawner {
        void spawn(int i, long delayMillis);
    }

    @Override
    Map<String, Double> runOnce(Sys sys, int workers, Size size) throws Exception {
        if (!size.quick()) {
            checkDelays();
        }
        int n = tasks(size);
        Shared shared = new Shared(n);
        return switch (sys) {
            case EVENTIDE -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                try {
                    yield measure(shared, size, (i, delay) -> h.spawn(() -> {
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                        Time.sleep(Duration.ofMillis(delay)).await();
                        shared.woke(i, deadline);
                    }));
                } finally {
                    Peers.close(rt);
                }
            }
            case EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                try {
                    yield measure(shared, size, (i, delay) -> h.spawn(new SleepTask(shared, i, delay)));
                } finally {
                    Peers.close(rt);
                }
            }
            case FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                try {
                    yield measure(shared, size, (i, delay) -> CompletableFuture.runAsync(() -> {
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, pool)
                                .execute(() -> shared.woke(i, deadline));
                    }, pool));
                } finally {
                    Peers.close(pool);
                }
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                try {
                    yield measure(shared, size, (i, delay) -> vt.execute(() -> {
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                        try {
                            Thread.sleep(delay);
                        } catch (InterruptedException e) {
                            // interrupted only when the harness abandons the run: end without counting down
                            return;
                        }
                        shared.woke(i, deadline);
                    }));
                } finally {
                    Peers.close(vt);
                }
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                try {
                    yield measure(shared, size, (i, delay) -> {
                        EventExecutor loop = group.next();
                        loop.execute(() -> {
                            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                            loop.schedule(() -> shared.woke(i, deadline), delay, TimeUnit.MILLISECONDS);
                        });
                    });
                } finally {
                    Peers.close(group);
                }
            }
            default -> throw new IllegalArgumentException("W8 is not implemented on " + sys.key);
        };
    }

    private static Map<String, Double> measure(Shared shared, Size size, Spawner spawner) throws Exception {
        int n = shared.lateness.length;
        int bound = delayBound(size);
        long x = SEED;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            x = next(x);
            spawner.spawn(i, Long.remainderUnsigned(x, bound));
        }
        long spawned = System.nanoTime();
        shared.done.await();
        long end = System.nanoTime();
        Check.equal(shared.remaining.get(), 0, "W8 tasks still sleeping after the signal");
        // VmHWM now: the peak of the run, before shutting the runtime down can change anything
        long peak = procStatusBytes("VmHWM");

        long[] sorted = shared.lateness;
        Arrays.sort(sorted);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("wall_ms", (end - start) / 1e6);
        f.put("spawn_ms", (spawned - start) / 1e6);
        f.put("p50_lateness_ms", rank(sorted, 0.50));
        f.put("p99_lateness_ms", rank(sorted, 0.99));
        f.put("max_lateness_ms", sorted[n - 1] / 1e6);
        f.put("peak_rss_mib", mib(peak));
        return f;
    }

    /** Nearest-rank percentile of sorted nanosecond values, in ms. */
    private static double rank(long[] sorted, double p) {
        int r = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, r - 1)] / 1e6;
    }
}
