package dev.eventide.runtime.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Parked threads started between a runtime's workers, so that no two workers share the cache
 * line that holds the JVM's per-thread handles.
 *
 * <h2>Why</h2>
 * HotSpot keeps four handles per Java thread (its {@code Thread} object, its current virtual
 * thread, the one JVMTI sees, and its scoped-value cache) in one {@code OopStorage}: 8-byte
 * slots handed out in the order threads start, eight to a 64-byte cache line. Every
 * {@code Continuation.run} writes the running thread's scoped-value-cache slot twice (on mount
 * and unmount), and {@code Thread.currentThread()} reads another of its slots. Two workers
 * started one after the other get adjacent slots, which share a cache line half of the time:
 * then every poll of an async block on one worker takes that line from the other, which takes
 * it back at its own next poll. Which half a run gets is decided by where the slots land, so
 * the cost came and went from one JVM to the next: workload W1 with async blocks on two workers
 * took 52-82 ns per task in some JVMs and 150-195 ns in others (9 of 26 in one series here,
 * 6 of 8 in another), median 60 ns; with spacers, 43-57 ns
 * in 26 of 30 JVMs and 94-153 ns in the other four, median 47 ns.
 *
 * <h2>How</h2>
 * The runtime starts a spacer before each worker and one after the last. A spacer's four slots
 * lie between each two workers' (and between the first worker and the threads started before
 * the runtime, such as the one that spawns into it), and two groups of four that are eight slots
 * apart never share a line. A spacer parks until {@link #stop}; it never runs again, so it never
 * writes its slots, and it costs the few pages of stack a parked thread touches. The JVM reuses
 * the slots of dead threads first, so a worker started into such a hole may still sit next to
 * another writer (another runtime's worker, a virtual thread's carrier, a compensator): spacers
 * make the collision rare, not impossible.
 */
final class HandleSpacers {
    /**
     * Filled by the thread that builds the runtime, before the runtime object is published
     * (inside its constructor, so its final fields publish this list to the thread that closes it).
     */
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /** Starts one spacer thread; called by the thread that starts the runtime, before and between workers. */
    void startOne(ThreadGroup group, String name) {
        Thread t = new Thread(group, this::parkUntilStopped, name, 0, false);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void parkUntilStopped() {
        while (!stopped) {
            LockSupport.park(this);
        }
    }

    /**
     * Ends every spacer and waits for them until {@code deadline} ({@link System#nanoTime()});
     * returns whether they all ended.
     */
    boolean stop(long deadline) throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        boolean allEnded = true;
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            allEnded &= !t.isAlive();
        }
        return allEnded;
    }
}
