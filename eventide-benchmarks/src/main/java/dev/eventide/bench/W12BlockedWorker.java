package dev.eventide.bench;

import dev.eventide.Eventide;
import dev.eventide.Handle;
import dev.eventide.sync.Oneshot;
import dev.eventide.time.Time;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * W12 blocked worker (issue #8): how much one task that blocks its worker hurts everybody else's
 * latency, with Eventide's compensation on and off, and on virtual threads.
 *
 * <h2>The workload</h2>
 * Two workers ({@value #WORKERS}, whatever the harness's {@code --workers}; virtual threads: a
 * scheduler parallelism of 2). {@value #TASKS} <em>ping</em> tasks (2,000 in quick mode) each
 * ping on a fixed schedule, one ping every {@value #INTERVAL_MS} ms from a random phase in
 * {@code [0, 100)} ms (seeded), so that the pings are spread evenly in time and the baseline is
 * an unsaturated runtime (about 100,000 pings a second in all), not a full queue. A ping: sleep
 * until its scheduled time; make a oneshot; hand its sender to a <em>responder</em>, a tiny task
 * spawned for the purpose that only sends; await the reply; record {@code now - scheduled}. One
 * <em>blocker</em> task blocks the worker it runs on for {@value #BLOCK_MS} ms once every second,
 * the first time {@value #FIRST_BLOCK_MS} ms into the measurement.
 *
 * <p>Latency is counted from the <em>scheduled</em> time, not from when the task got to run:
 * a task stuck behind a blocked worker is late to start its ping, and measuring from its start
 * would hide exactly that (coordinated omission). A task that falls behind pings at once until
 * it has caught up with its schedule, each ping counted from its own scheduled time. The figure
 * includes the timer's own lateness: Eventide's timers have a resolution of 1 ms and round
 * deadlines up, so its baseline p50 sits near 1 ms whatever else happens, where a
 * virtual thread's {@code Thread.sleep} is finer; compare Eventide's scenarios with each other,
 * and p99 and max across systems.
 *
 * <p>Time line: a warm-up whose pings are not recorded (1 s, quick 0.2 s; 3 s, quick 0.6 s,
 * for the JVM's first scenario, which also pays for loading and compiling the code), then the
 * measurement (5 s, five blocks; quick 0.8 s, one block). A ping counts if it was scheduled
 * inside the measurement window; every task stops at the window's end, and the run ends when
 * all have. Latencies go into a preallocated {@code long[]} per task (no shared histogram, no
 * contention); percentiles are taken by nearest rank over all of them at the end. Figures per
 * scenario: pings completed, blocks done, and latency p50, p99 and max (ms).
 *
 * <h2>Scenarios</h2>
 * Each run (a fresh JVM, also in quick mode, because the virtual-thread scheduler's parallelism
 * is fixed at JVM start) plays every scenario of its system one after the other, each on a fresh
 * runtime:
 * <ul>
 *   <li>Eventide: the blocker calls {@code Thread.sleep(200)} (the typical accidental blocking
 *       call) or busy-spins 200 ms, with compensation on ({@code compensationThreshold} =
 *       {@value #COMPENSATION_MS} ms, well under the block, so that the replacement worker has
 *       most of the block to run what is queued behind it; the default, 200 ms, would only
 *       start compensating when a 200 ms block ends) or off ({@code Duration.ZERO}); with work
 *       stealing (the default), and the {@code Thread.sleep} pair again thread-per-core
 *       ({@code workStealing(false)}), where nothing else can take the blocked worker's tasks
 *       and compensation is all that helps. The blocked-worker detector is off
 *       ({@code blockedWorkerThreshold(ZERO)}) so that its reports do not flood the output;
 *       compensation works without it.</li>
 *   <li>Virtual threads: one virtual thread per ping task and per responder, the oneshot a
 *       {@code CompletableFuture} the ping thread {@code join}s, the sleep {@code Thread.sleep}.
 *       The blocker's {@code Thread.sleep(200)} <em>unmounts</em> the virtual thread and does not
 *       block its carrier at all (the JDK's answer to this problem); its busy-spin does occupy
 *       a carrier for 200 ms, like the Eventide blocker.</li>
 * </ul>
 * The value in the main table is the p99 of the first scenario: the {@code Thread.sleep}
 * blocker (Eventide: with work stealing and compensation on); every scenario's figures have
 * their own table.
 * No poll-future variant: the ping loop would be a state machine of three awaits and adds
 * nothing a blocked worker does not already show.
 */
final class W12BlockedWorker extends SingleRunWorkload {
    static final int WORKERS = 2;
    static final int TASKS = 10_000;
    static final long INTERVAL_MS = 100;
    static final long BLOCK_MS = 200;
    static final long BLOCK_PERIOD_MS = 1_000;
    static final long FIRST_BLOCK_MS = 100;
    static final long COMPENSATION_MS = 20;
    private static final long SEED = 0x5DEECE66DL;

    /** How the blocker holds its worker. */
    enum Blocker {
        /** {@code Thread.sleep(200)}. */
        SLEEP("Thread.sleep(200)"),
        /** A busy loop of 200 ms on the monotonic clock, never giving up the thread. */
        SPIN("busy-spin 200 ms");

        final String title;

        Blocker(String title) {
            this.title = title;
        }

        void block() throws InterruptedException {
            if (this == SLEEP) {
                Thread.sleep(BLOCK_MS);
                return;
            }
            long start = System.nanoTime();
            long nanos = TimeUnit.MILLISECONDS.toNanos(BLOCK_MS);
            while (System.nanoTime() - start < nanos) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * One scenario of a run.
     *
     * @param key the figures' key prefix, e.g. {@code sleep_on}
     * @param blocker how the blocker blocks
     * @param compensation Eventide's compensation threshold ({@code ZERO}: off); null on virtual threads
     * @param stealing Eventide's work stealing
     */
    record Scenario(String key, Blocker blocker, Duration compensation, boolean stealing) {
        /** A short description for the report. */
        String title() {
            if (compensation == null) {
                return blocker.title;
            }
            return blocker.title + ", " + (stealing ? "work stealing" : "thread-per-core") + ", compensation "
                    + (compensation.isZero() ? "off" : "on (" + compensation.toMillis() + " ms)");
        }
    }

    private static final Duration ON = Duration.ofMillis(COMPENSATION_MS);

    /** The scenarios a run on {@code sys} plays, in report order; the first is the main table's. */
    static List<Scenario> scenarios(Sys sys) {
        return switch (sys) {
            case EVENTIDE -> List.of(
                    new Scenario("sleep_on", Blocker.SLEEP, ON, true),
                    new Scenario("sleep_off", Blocker.SLEEP, Duration.ZERO, true),
                    new Scenario("spin_on", Blocker.SPIN, ON, true),
                    new Scenario("spin_off", Blocker.SPIN, Duration.ZERO, true),
                    new Scenario("tpc_sleep_on", Blocker.SLEEP, ON, false),
                    new Scenario("tpc_sleep_off", Blocker.SLEEP, Duration.ZERO, false));
            case VTHREADS -> List.of(
                    new Scenario("sleep", Blocker.SLEEP, null, true),
                    new Scenario("spin", Blocker.SPIN, null, true));
            default -> throw new IllegalArgumentException("W12 is not implemented on " + sys.key);
        };
    }

    /**
     * The figures of one scenario, by suffix of the key ({@code blocks}: how many blocks happened;
     * {@code compensations}: Eventide's compensating workers started during the scenario, 0 on
     * virtual threads, which have none: a busy-spinning blocker should get none either;
     * {@code gc_pauses}, {@code gc_pause_ms}: the collector's pauses inside the measured window,
     * each of which holds up every ping due during it, so a window with one more young pause
     * has a visibly worse p99).
     */
    static final List<String> FIGURES = List.of("pings", "blocks", "compensations", "gc_pauses", "gc_pause_ms",
            "p50_ms", "p99_ms", "max_ms");

    @Override
    public String id() {
        return "W12";
    }

    @Override
    public String name() {
        return "blocked_worker";
    }

    @Override
    public Unit unit() {
        return Unit.MS;
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.of(Sys.EVENTIDE, Sys.VTHREADS);
    }

    @Override
    String valueKey() {
        return "p99_ms";
    }

    @Override
    List<String> extraKeys() {
        return List.of("p50_ms", "max_ms", "pings", "blocks", "compensations", "gc_pauses", "gc_pause_ms");
    }

    @Override
    boolean freshJvmInQuickMode() {
        return true;
    }

    @Override
    List<String> extraJvmOptions() {
        return List.of("-Djdk.virtualThreadScheduler.parallelism=" + WORKERS);
    }

    /** About 10 s per scenario in full mode, 1 s in quick mode, plus a JVM's start. */
    @Override
    public long iterationLimitNanos(Size size, long harnessLimitNanos) {
        return Math.max(harnessLimitNanos, TimeUnit.SECONDS.toNanos(size.quick() ? 60 : 300));
    }

    static int tasks(Size size) {
        return size.pick(TASKS, 2_000);
    }

    static long warmupMs(Size size, boolean firstInJvm) {
        return firstInJvm ? size.pick(3_000, 600) : size.pick(1_000, 200);
    }

    static long measureMs(Size size) {
        return size.pick(5_000, 800);
    }

    @Override
    Map<String, Double> runOnce(Sys sys, int workers, Size size) throws Exception {
        List<Scenario> scenarios = scenarios(sys);
        if (sys == Sys.VTHREADS) {
            String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
            if (!String.valueOf(WORKERS).equals(p)) {
                throw new IllegalStateException("W12 on virtual threads needs -Djdk.virtualThreadScheduler.parallelism="
                        + WORKERS + " (a fresh JVM, as the harness starts), got " + p);
            }
        }
        Map<String, Double> f = new LinkedHashMap<>();
        for (Scenario sc : scenarios) {
            Run run = new Run(tasks(size), size, f.isEmpty());
            Map<String, Double> figures = sys == Sys.EVENTIDE ? onEventide(sc, run) : onVirtualThreads(sc, run);
            if (f.isEmpty()) {
                // the headline scenario, under the keys every system reports
                figures.forEach(f::put);
            }
            figures.forEach((k, v) -> f.put(sc.key() + "_" + k, v));
        }
        return f;
    }

    /** What the tasks of one scenario share; written by the tasks, read by the main thread after {@link #done}. */
    private static final class Run {
        final long start;
        final long end;
        /** Each task's first scheduled ping (a {@code System.nanoTime()} reading). */
        final long[] firstPing;
        final long[][] latencies;
        final int[] counts;
        final CountDownLatch done;
        volatile int blocks;

        Run(int tasks, Size size, boolean firstInJvm) {
            long now = System.nanoTime();
            start = now + TimeUnit.MILLISECONDS.toNanos(warmupMs(size, firstInJvm));
            end = start + TimeUnit.MILLISECONDS.toNanos(measureMs(size));
            firstPing = new long[tasks];
            latencies = new long[tasks][];
            counts = new int[tasks];
            SplittableRandom random = new SplittableRandom(SEED);
            // a task's schedule has one ping per interval in the window
            int room = (int) (measureMs(size) / INTERVAL_MS) + 1;
            for (int i = 0; i < tasks; i++) {
                firstPing[i] = now + random.nextLong(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
                latencies[i] = new long[room];
            }
            done = new CountDownLatch(tasks + 1);
        }

        /** Records task {@code i}'s ping scheduled at {@code t}, if that is inside the window. */
        void record(int i, long t, long latency) {
            if (t - start >= 0 && counts[i] < latencies[i].length) {
                latencies[i][counts[i]++] = latency;
            }
        }

        /** Whether a ping scheduled at {@code t} is past the window: the task stops. */
        boolean over(long t) {
            return t - end >= 0;
        }

        /** The deadline of block {@code k}, or -1 if that block would not end inside the window. */
        long blockAt(int k) {
            long at = start + TimeUnit.MILLISECONDS.toNanos(FIRST_BLOCK_MS + k * BLOCK_PERIOD_MS);
            return at + TimeUnit.MILLISECONDS.toNanos(BLOCK_MS) - end > 0 ? -1 : at;
        }

        /** Waits for every task and the blocker, then computes the figures. */
        Map<String, Double> figures(String where) throws InterruptedException {
            sleepUntil(start);
            long[] gcBefore = gcPauses();
            sleepUntil(end);
            long[] gcAfter = gcPauses();
            long limit = end - System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            if (!done.await(limit, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("W12 " + where + ": " + done.getCount()
                        + " tasks still running 30 s after the window closed");
            }
            int n = 0;
            for (int c : counts) {
                n += c;
            }
            if (n == 0) {
                throw new IllegalStateException("W12 " + where + ": no ping completed in the window");
            }
            long[] all = new long[n];
            int at = 0;
            for (int i = 0; i < counts.length; i++) {
                System.arraycopy(latencies[i], 0, all, at, counts[i]);
                at += counts[i];
            }
            Arrays.sort(all);
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("pings", (double) n);
            f.put("p50_ms", rank(all, 0.50));
            f.put("p99_ms", rank(all, 0.99));
            f.put("max_ms", all[n - 1] / 1e6);
            f.put("blocks", (double) blocks);
            f.put("gc_pauses", (double) (gcAfter[0] - gcBefore[0]));
            f.put("gc_pause_ms", (double) (gcAfter[1] - gcBefore[1]));
            return f;
        }

        private static void sleepUntil(long deadline) {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
        }

        /**
         * The collections so far and their accumulated time in ms, over the collectors that stop
         * the application (a concurrent cycle's bean, such as G1's "G1 Concurrent GC", is left out).
         */
        private static long[] gcPauses() {
            long count = 0;
            long ms = 0;
            for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc.getName().contains("Concurrent")) {
                    continue;
                }
                count += Math.max(0, gc.getCollectionCount());
                ms += Math.max(0, gc.getCollectionTime());
            }
            return new long[] {count, ms};
        }
    }

    /** Nearest-rank percentile of sorted nanosecond values, in ms. */
    static double rank(long[] sorted, double p) {
        int r = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, r - 1)] / 1e6;
    }

    private static Map<String, Double> onEventide(Scenario sc, Run run) throws Exception {
        Eventide rt = Eventide.builder().workerThreads(WORKERS).threadNamePrefix("bench-w12")
                .workStealing(sc.stealing()).compensationThreshold(sc.compensation())
                .blockedWorkerThreshold(Duration.ZERO).build();
        try {
            Handle h = rt.handle();
            for (int i = 0; i < run.counts.length; i++) {
                int task = i;
                h.spawn(() -> {
                    eventidePings(run, task);
                    return null;
                });
            }
            h.spawn(() -> {
                eventideBlocker(run, sc.blocker());
                return null;
            });
            Map<String, Double> figures = run.figures("on Eventide, " + sc.key());
            figures.put("compensations", (double) rt.metrics().compensations());
            return figures;
        } finally {
            Peers.close(rt);
        }
    }

    /** An Eventide ping task (an async block). */
    private static void eventidePings(Run run, int i) {
        try {
            long interval = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
            for (long at = run.firstPing[i]; !run.over(at); at += interval) {
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    Time.sleep(Duration.ofNanos(wait)).await();
                }
                long scheduled = at;
                Oneshot<Long> ch = Oneshot.channel();
                Oneshot.Sender<Long> tx = ch.tx();
                Eventide.spawn(() -> tx.send(scheduled));
                long reply = ch.rx().await();
                run.record(i, reply, System.nanoTime() - reply);
            }
        } finally {
            run.done.countDown();
        }
    }

    /** The Eventide blocker: blocks its worker at each block's time, until the window closes. */
    private static void eventideBlocker(Run run, Blocker blocker) throws InterruptedException {
        try {
            for (int k = 0;; k++) {
                long at = run.blockAt(k);
                if (at < 0) {
                    return;
                }
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    Time.sleep(Duration.ofNanos(wait)).await();
                }
                blocker.block();
                run.blocks++;
            }
        } finally {
            run.done.countDown();
        }
    }

    private static Map<String, Double> onVirtualThreads(Scenario sc, Run run) throws Exception {
        int tasks = run.counts.length;
        List<Thread> threads = new ArrayList<>(tasks + 1);
        try {
            for (int i = 0; i < tasks; i++) {
                int task = i;
                threads.add(Thread.ofVirtual().start(() -> virtualPings(run, task)));
            }
            threads.add(Thread.ofVirtual().start(() -> virtualBlocker(run, sc.blocker())));
            Map<String, Double> figures = run.figures("on virtual threads, " + sc.key());
            figures.put("compensations", 0.0);
            return figures;
        } finally {
            // only if the run failed are any still alive: stop them before the next scenario
            threads.forEach(Thread::interrupt);
        }
    }

    /** A ping virtual thread; the oneshot is a {@code CompletableFuture}, the responder a virtual thread. */
    private static void virtualPings(Run run, int i) {
        try {
            long interval = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
            for (long at = run.firstPing[i]; !run.over(at); at += interval) {
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                long scheduled = at;
                CompletableFuture<Long> ch = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> ch.complete(scheduled));
                long reply = ch.join();
                run.record(i, reply, System.nanoTime() - reply);
            }
        } catch (InterruptedException e) {
            // interrupted only when the run is abandoned: this task's pings so far still count
            Thread.currentThread().interrupt();
        } finally {
            run.done.countDown();
        }
    }

    /** The virtual-thread blocker. */
    private static void virtualBlocker(Run run, Blocker blocker) {
        try {
            for (int k = 0;; k++) {
                long at = run.blockAt(k);
                if (at < 0) {
                    return;
                }
                long wait = at - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                blocker.block();
                run.blocks++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            run.done.countDown();
        }
    }
}
