package dev.eventide.examples;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.TaskFailedException;
import dev.eventide.TaskLocal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A tour of the runtime that checks its own results: many tasks on the work-stealing runtime,
 * cooperative yields, blocking work on the blocking pool, a thread-per-core runtime, a
 * current-thread runtime, task-locals, and what joiners see when a task is aborted or fails.
 *
 * <p>Every step prints what it did and whether its result is right; {@link #run} returns 0 only
 * if every check passed, so the demo doubles as an end-to-end smoke test of a fresh build.
 */
public final class RuntimeDemo {
    private static final int TASKS = 100_000;
    private static final int PER_CORE_YIELDS = 100;

    private final PrintStream out;
    private int failures;

    private RuntimeDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the demo, printing to {@code out}.
     *
     * @param args no options are accepted
     * @return the process exit status: 0 if every check passed, 1 otherwise, 2 on bad arguments
     */
    public static int run(String[] args, PrintStream out) throws InterruptedException {
        if (args.length > 0) {
            System.err.println("demo takes no arguments");
            return 2;
        }
        RuntimeDemo demo = new RuntimeDemo(out);
        out.printf("Eventide demo on Java %s, %d CPUs%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        demo.manyTasks();
        demo.blockingWork();
        demo.threadPerCore();
        demo.currentThread();
        demo.taskLocals();
        demo.abortAndFailure();
        out.println(demo.failures == 0 ? "demo: all checks passed" : "demo: " + demo.failures + " check(s) FAILED");
        return demo.failures == 0 ? 0 : 1;
    }

    private void check(boolean ok, String what) {
        out.println((ok ? "  ok    " : "  FAIL  ") + what);
        if (!ok) {
            failures++;
        }
    }

    /** 100,000 tasks that yield once each, spawned from inside a block and awaited in order. */
    private void manyTasks() {
        out.println("work-stealing runtime: spawn " + TASKS + " tasks, each yields once, await them all");
        Set<String> threads = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        long sum;
        int workers;
        try (Eventide rt = Eventide.builder().threadNamePrefix("demo-worker").build()) {
            workers = rt.workerThreads();
            sum = rt.blockOn(() -> {
                List<JoinHandle<Long>> handles = new ArrayList<>(TASKS);
                for (int i = 0; i < TASKS; i++) {
                    long k = i;
                    handles.add(Eventide.spawn(() -> {
                        Eventide.yieldNow().await();
                        threads.add(Thread.currentThread().getName());
                        return k * k % 1_000_003;
                    }));
                }
                long total = 0;
                for (JoinHandle<Long> h : handles) {
                    total += h.await();
                }
                return total;
            });
        }
        long expected = 0;
        for (long k = 0; k < TASKS; k++) {
            expected += k * k % 1_000_003;
        }
        out.printf("  %d tasks in %.1f ms on %d of %d worker threads%n", TASKS, millis(start), threads.size(), workers);
        check(sum == expected, "sum of the tasks' results is " + sum + " (computed sequentially: " + expected + ")");
    }

    /** File I/O belongs on the blocking pool: write and read a temporary file there. */
    private void blockingWork() {
        out.println("spawnBlocking: write and read a file on the blocking pool, workers stay free");
        String text = "written by a blocking thread\n";
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            String[] seen = rt.blockOn(() -> {
                String worker = Thread.currentThread().getName();
                JoinHandle<Path> write = Eventide.spawnBlocking(() -> {
                    Path p = Files.createTempFile("eventide-demo", ".txt");
                    Files.writeString(p, text, StandardCharsets.UTF_8);
                    return p;
                });
                Path p = write.await();
                String[] read = Eventide.spawnBlocking(() -> {
                    try {
                        return new String[] {Files.readString(p, StandardCharsets.UTF_8), Thread.currentThread().getName()};
                    } finally {
                        Files.deleteIfExists(p);
                    }
                }).await();
                return new String[] {read[0], read[1], worker};
            });
            out.printf("  block ran on %s, file read on %s%n", seen[2], seen[1]);
            check(text.equals(seen[0]), "the file read back holds what was written");
            check(!seen[1].equals(seen[2]), "the blocking job ran on a thread other than the worker");
        }
    }

    /**
     * workStealing(false): tasks spawned from outside are dealt round-robin to the workers and
     * stay on the worker they started on, however often they yield.
     */
    private void threadPerCore() {
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        int tasks = workers * 4;
        out.printf("thread-per-core runtime (workStealing(false), %d workers): %d tasks yield %d times each%n",
                workers, tasks, PER_CORE_YIELDS);
        try (Eventide rt = Eventide.builder().workerThreads(workers).workStealing(false)
                .threadNamePrefix("demo-core").build()) {
            List<JoinHandle<Boolean>> handles = new ArrayList<>();
            Set<String> used = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < tasks; i++) {
                handles.add(rt.handle().spawn(() -> {
                    Thread home = Thread.currentThread();
                    used.add(home.getName());
                    boolean stayed = true;
                    for (int y = 0; y < PER_CORE_YIELDS; y++) {
                        Eventide.yieldNow().await();
                        stayed &= Thread.currentThread() == home;
                    }
                    return stayed;
                }));
            }
            boolean allStayed = true;
            for (JoinHandle<Boolean> h : handles) {
                allStayed &= h.join();
            }
            out.printf("  tasks ran on %d worker threads%n", used.size());
            check(allStayed, "every task stayed on the worker it started on");
            check(used.size() == workers, "tasks spawned from outside were spread over all " + workers + " workers");
        }
    }

    /** A current-thread runtime runs every task on the thread that calls blockOn. */
    private void currentThread() {
        int tasks = 1_000;
        out.println("current-thread runtime: " + tasks + " tasks interleave on the calling thread");
        try (Eventide rt = Eventide.currentThread()) {
            Thread caller = Thread.currentThread();
            AtomicBoolean elsewhere = new AtomicBoolean();
            StringBuilder order = new StringBuilder();
            int done = rt.blockOn(() -> {
                List<JoinHandle<Void>> handles = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int id = i;
                    handles.add(Eventide.spawn(() -> {
                        for (int round = 0; round < 3; round++) {
                            if (Thread.currentThread() != caller) {
                                elsewhere.set(true);
                            }
                            if (id < 2) {
                                order.append(id);   // one thread: no synchronisation needed
                            }
                            Eventide.yieldNow().await();
                        }
                    }));
                }
                for (JoinHandle<Void> h : handles) {
                    h.await();
                }
                return handles.size();
            });
            out.println("  first two tasks took turns: " + order);
            check(done == tasks && !elsewhere.get(), "all " + tasks + " tasks ran on the caller, " + caller.getName());
            check("010101".contentEquals(order), "yieldNow let the other tasks run between each step");
        }
    }

    /** A TaskLocal follows its task, whatever worker it resumes on. */
    private void taskLocals() {
        out.println("TaskLocal: each task sees its own value across yields");
        TaskLocal<Integer> local = TaskLocal.create();
        try (Eventide rt = Eventide.builder().build()) {
            boolean allOwn = rt.blockOn(() -> {
                List<JoinHandle<Boolean>> handles = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    int id = i;
                    handles.add(Eventide.spawn(() -> {
                        local.set(id);
                        for (int y = 0; y < 10; y++) {
                            Eventide.yieldNow().await();
                        }
                        return local.get() == id;
                    }));
                }
                boolean ok = true;
                for (JoinHandle<Boolean> h : handles) {
                    ok &= h.await();
                }
                return ok;
            });
            check(allOwn, "1,000 tasks each read back the value they set, after 10 yields");
        }
    }

    /** Abort: the joiner sees CancelledException; a thrown exception: TaskFailedException. */
    private void abortAndFailure() throws InterruptedException {
        out.println("JoinHandle: an aborted task and a failed task");
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicBoolean cleanedUp = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(1);
            JoinHandle<Void> forever = rt.handle().spawn(() -> {
                started.countDown();
                try {
                    while (true) {
                        Eventide.yieldNow().await();
                    }
                } finally {
                    cleanedUp.set(true);
                }
            });
            // A task aborted before it first runs never runs at all: abort this one mid-loop.
            started.await();
            forever.abort();
            boolean cancelled;
            try {
                forever.join();
                cancelled = false;
            } catch (CancelledException e) {
                cancelled = true;
            }
            check(cancelled && forever.isCancelled(), "joining an aborted task throws CancelledException");
            check(cleanedUp.get(), "the aborted task's finally block ran");

            JoinHandle<Integer> failing = rt.handle().spawn(() -> {
                throw new IOException("disk on fire");
            });
            Throwable cause = null;
            try {
                failing.join();
            } catch (TaskFailedException e) {
                cause = e.getCause();
            }
            check(cause instanceof IOException && "disk on fire".equals(cause.getMessage()),
                    "joining a failed task throws TaskFailedException caused by what the task threw");
        }
    }

    private static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
