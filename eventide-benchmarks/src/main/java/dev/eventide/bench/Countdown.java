package dev.eventide.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WORKLOADS.md's <em>countdown</em> and <em>signal the main thread</em>: an atomic counter set
 * before each iteration; the task that takes it from 1 to 0 hands a token to the main thread
 * through a semaphore, and the main thread blocks on it.
 *
 * <p>Not a blocking queue (tokio's file uses a channel of capacity 1,000): signals are sent from
 * inside async blocks, after their {@code await}s, and an {@code ArrayBlockingQueue}'s
 * {@code ReentrantLock} records {@code Thread.currentThread()} as its owner, which the JIT may
 * have read before an {@code await} that moved the block to another worker (README, "Threads
 * inside a block"). A lock released by a thread that is not its recorded owner throws and stays
 * locked: W4 hung that way. A semaphore's release names no thread.
 */
final class Countdown {
    private final AtomicInteger remaining = new AtomicInteger();
    private final Semaphore signal = new Semaphore(0);

    /** Sets the count for the next iteration. */
    void reset(int n) {
        remaining.set(n);
    }

    /** Counts one down; the last one signals the main thread. */
    void countDown() {
        if (remaining.decrementAndGet() == 0) {
            signal.release();
        }
    }

    /** Signals the main thread without counting (for workloads that signal once per task). */
    void signal() {
        signal.release();
    }

    /** Blocks the main thread until signalled once. */
    void await() throws InterruptedException {
        signal.acquire();
    }

    /** The count still outstanding (0 after a complete iteration). */
    int remaining() {
        return remaining.get();
    }
}
