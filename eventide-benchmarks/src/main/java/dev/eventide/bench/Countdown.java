package dev.eventide.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WORKLOADS.md's <em>countdown</em> and <em>signal the main thread</em>: an atomic counter set
 * before each iteration; the task that takes it from 1 to 0 hands a token to the main thread
 * through a blocking queue (capacity 1,000, as in tokio's file), and the main thread blocks on it.
 */
final class Countdown {
    private final AtomicInteger remaining = new AtomicInteger();
    private final ArrayBlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1_000);

    /** Sets the count for the next iteration. */
    void reset(int n) {
        remaining.set(n);
    }

    /** Counts one down; the last one signals the main thread. */
    void countDown() {
        if (remaining.decrementAndGet() == 0) {
            signal.offer(Boolean.TRUE);
        }
    }

    /** Signals the main thread without counting (for workloads that signal once per task). */
    void signal() {
        signal.offer(Boolean.TRUE);
    }

    /** Blocks the main thread until signalled once. */
    void await() throws InterruptedException {
        signal.take();
    }

    /** The count still outstanding (0 after a complete iteration). */
    int remaining() {
        return remaining.get();
    }
}
