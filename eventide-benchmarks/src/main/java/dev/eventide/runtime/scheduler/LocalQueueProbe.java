package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.task.Task;

/**
 * Benchmark access to a worker's {@link LocalQueue}, which is package-private and reachable
 * through no public entry point narrower than the whole scheduler.
 *
 * <p>This class lives in the benchmark module but in the scheduler's package: on the class path
 * (how {@code ./eventide jmh} and the tests run, everything in the unnamed module of one class
 * loader) it shares the package with the core's classes and may call their package-private
 * methods, so the core carries no benchmark hook. It would not load on the module path, where
 * {@code dev.eventide} owns the package; nothing but the JMH benchmarks uses it.
 *
 * <p>Each method is the queue's own operation, with the queue's threading rules: {@link #push}
 * and {@link #pop} by the owner only, {@link #stealInto} by any other thread.
 */
public final class LocalQueueProbe {
    private final LocalQueue queue;
    private final InjectQueue overflow = new InjectQueue();

    /** A queue with the scheduler's capacity (256). */
    public LocalQueueProbe() {
        this.queue = new LocalQueue();
    }

    /** The queue's capacity. */
    public int capacity() {
        return queue.capacity();
    }

    /** Owner only: pushes {@code task}; on overflow half the queue moves to this probe's own global queue. */
    public void push(Task<?> task) {
        queue.pushBack(task, overflow);
    }

    /** Owner only: the task at the head, or null if the queue is empty. */
    public Task<?> pop() {
        return queue.pop();
    }

    /** A thread other than this queue's owner, owning {@code dst}: steals half of this queue into {@code dst}; returns one stolen task, or null. */
    public Task<?> stealInto(LocalQueueProbe dst) {
        return queue.stealInto(dst.queue);
    }

    /** Tasks in the queue (a snapshot). */
    public int len() {
        return queue.len();
    }

    /** Tasks that overflowed to the global queue since the last call, which drops them (owner only). */
    public int drainOverflow() {
        int n = 0;
        while (overflow.pop() != null) {
            n++;
        }
        return n;
    }
}
