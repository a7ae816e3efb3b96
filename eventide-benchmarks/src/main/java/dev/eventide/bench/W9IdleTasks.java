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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W9 idle tasks: memory per parked task, and the time to wake them all. After the runtime is
 * built and the table of senders is allocated and written, the baseline {@code VmRSS} is read;
 * the main thread then creates a oneshot per task, keeps its sender in the table and spawns a
 * task holding the receiver, which counts itself started and awaits it. Once every task has
 * started, {@code VmRSS} again: bytes per task = the growth / tasks (the value). The wake phase
 * sends on every sender in order and is timed until the last task has counted down.
 *
 * <p>Also reported: the live-heap growth per task (heap used after a full collection, before the
 * spawn phase and once all tasks are parked), the RSS growth in MiB, wake-all and spawn times,
 * and the peak RSS.
 *
 * <p>Oneshot and await per system: Eventide {@code Oneshot}, awaited in an async block or polled
 * by a {@code Future}; {@code fjp-cf} a {@code CompletableFuture}, the task a
 * {@code runAsync} that registers {@code thenRunAsync(countdown, pool)} on it; virtual threads a
 * {@code CompletableFuture} the virtual thread {@code join}s; Netty a {@code Promise} of the
 * task's event loop with a listener.
 *
 * <p>Quick mode: 10,000 tasks.
 */
final class W9IdleTasks extends SingleRunWorkload {
    /** What every slot of the table holds before the spawn phase, so that its pages are resident for the baseline. */
    private static final Object EMPTY = new Object();

    @Override
    public String id() {
        return "W9";
    }

    @Override
    public String name() {
        return "idle_tasks";
    }

    @Override
    public Unit unit() {
        return Unit.BYTES_PER_TASK;
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.of(Sys.EVENTIDE, Sys.EVENTIDE_POLL, Sys.FJP_CF, Sys.VTHREADS, Sys.NETTY, Sys.NETTY_EPOLL);
    }

    @Override
    String valueKey() {
        return "bytes_per_task";
    }

    @Override
    List<String> extraKeys() {
        return List.of("heap_bytes_per_task", "rss_growth_mib", "wake_all_ms", "spawn_ms", "peak_rss_mib");
    }

    static int tasks(Size size) {
        return size.pick(1_000_000, 10_000);
    }

    /** The started counter and the countdown the tasks share with the main thread. */
    private static final class Shared {
        final int tasks;
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger remaining;
        final CountDownLatch allStarted = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);

        Shared(int tasks) {
            this.tasks = tasks;
            remaining = new AtomicInteger(tasks);
        }

        void started() {
            if (started.incrementAndGet() == tasks) {
                allStarted.countDown();
            }
        }

        void countDown() {
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        }
    }

    /** The poll-based task: counts itself started on its first poll, then polls its receiver. */
    private static final class IdleTask implements Future<Void> {
        private final Shared shared;
        private final Oneshot.Receiver<Boolean> rx;
        private boolean started;

        IdleTask(Shared shared, Oneshot.Receiver<Boolean> rx) {
            this.shared = shared;
            this.rx = rx;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!started) {
                started = true;
                shared.started();
            }
            if (!rx.poll(cx).isReady()) {
                return Poll.pending();
            }
            shared.countDown();
            return Poll.ready(null);
        }

        @Override
        public void cancel() {
            rx.cancel();
        }
    }

    /** One system's way to spawn a parked task (returning its sender) and to wake it. */
    private interface Idle {
        /** Creates a oneshot, spawns a task awaiting its receiver, returns the sender. */
        Object spawn(Shared shared);

        /** Sends on a sender {@link #spawn} returned. */
        void send(Object sender);
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, Double> runOnce(Sys sys, int workers, Size size) throws Exception {
        Shared shared = new Shared(tasks(size));
        return switch (sys) {
            case EVENTIDE, EVENTIDE_POLL -> {
                Eventide rt = Peers.eventide(workers);
                Handle h = rt.handle();
                boolean poll = sys == Sys.EVENTIDE_POLL;
                try {
                    yield measure(shared, new Idle() {
                        @Override
                        public Object spawn(Shared s) {
                            Oneshot<Boolean> ch = Oneshot.channel();
                            Oneshot.Receiver<Boolean> rx = ch.rx();
                            if (poll) {
                                h.spawn(new IdleTask(s, rx));
                            } else {
                                h.spawn(() -> {
                                    s.started();
                                    rx.await();
                                    s.countDown();
                                });
                            }
                            return ch.tx();
                        }

                        @Override
                        public void send(Object sender) {
                            ((Oneshot.Sender<Boolean>) sender).send(Boolean.TRUE);
                        }
                    });
                } finally {
                    Peers.close(rt);
                }
            }
            case FJP_CF -> {
                ForkJoinPool pool = Peers.forkJoinPool(workers);
                try {
                    yield measure(shared, new Idle() {
                        @Override
                        public Object spawn(Shared s) {
                            CompletableFuture<Boolean> oneshot = new CompletableFuture<>();
                            CompletableFuture.runAsync(() -> {
                                s.started();
                                oneshot.thenRunAsync(s::countDown, pool);
                            }, pool);
                            return oneshot;
                        }

                        @Override
                        public void send(Object sender) {
                            ((CompletableFuture<Boolean>) sender).complete(Boolean.TRUE);
                        }
                    });
                } finally {
                    Peers.close(pool);
                }
            }
            case VTHREADS -> {
                ExecutorService vt = Peers.virtualThreads();
                try {
                    yield measure(shared, new Idle() {
                        @Override
                        public Object spawn(Shared s) {
                            CompletableFuture<Boolean> oneshot = new CompletableFuture<>();
                            vt.execute(() -> {
                                s.started();
                                oneshot.join();
                                s.countDown();
                            });
                            return oneshot;
                        }

                        @Override
                        public void send(Object sender) {
                            ((CompletableFuture<Boolean>) sender).complete(Boolean.TRUE);
                        }
                    });
                } finally {
                    Peers.close(vt);
                }
            }
            case NETTY, NETTY_EPOLL -> {
                MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
                try {
                    yield measure(shared, new Idle() {
                        @Override
                        public Object spawn(Shared s) {
                            EventExecutor loop = group.next();
                            Promise<Boolean> oneshot = loop.newPromise();
                            loop.execute(() -> {
                                s.started();
                                oneshot.addListener(f -> s.countDown());
                            });
                            return oneshot;
                        }

                        @Override
                        public void send(Object sender) {
                            ((Promise<Boolean>) sender).setSuccess(Boolean.TRUE);
                        }
                    });
                } finally {
                    Peers.close(group);
                }
            }
            default -> throw new IllegalArgumentException("W9 is not implemented on " + sys.key);
        };
    }

    private static Map<String, Double> measure(Shared shared, Idle idle) throws Exception {
        int n = shared.tasks;
        Object[] senders = new Object[n];
        Arrays.fill(senders, EMPTY);
        long heapBefore = heapUsedAfterGc();
        long rssBefore = procStatusBytes("VmRSS");

        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            senders[i] = idle.spawn(shared);
        }
        long spawnNanos = System.nanoTime() - start;
        shared.allStarted.await();
        long rssAfter = procStatusBytes("VmRSS");
        long heapAfter = heapUsedAfterGc();

        long wakeStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            idle.send(senders[i]);
        }
        shared.done.await();
        long wakeNanos = System.nanoTime() - wakeStart;
        Check.equal(shared.remaining.get(), 0, "W9 tasks still parked after the signal");

        Map<String, Double> f = new LinkedHashMap<>();
        f.put("bytes_per_task", (double) (rssAfter - rssBefore) / n);
        f.put("heap_bytes_per_task", (double) (heapAfter - heapBefore) / n);
        f.put("rss_growth_mib", mib(rssAfter - rssBefore));
        f.put("wake_all_ms", wakeNanos / 1e6);
        f.put("spawn_ms", spawnNanos / 1e6);
        f.put("peak_rss_mib", mib(procStatusBytes("VmHWM")));
        return f;
    }
}
