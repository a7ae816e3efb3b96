package dev.eventide.bench;

/**
 * WORKLOADS.md's <em>stall</em>: busy-wait 10 µs without giving up the task.
 *
 * <p>On a platform thread (Eventide's workers, even inside an async block's continuation; the
 * pool threads of ForkJoinPool and Netty) {@code Thread.yield()} is {@code sched_yield}, as the
 * definition asks. Inside a virtual thread {@code Thread.yield()} would reschedule the virtual
 * thread instead, a different workload, so virtual threads stall with
 * {@code Thread.onSpinWait()}.
 */
final class Stall {
    static final long NANOS = 10_000;

    private Stall() {
    }

    /** The stall of a platform thread: loop on the monotonic clock, {@code sched_yield} each pass. */
    static void stall() {
        long start = System.nanoTime();
        while (System.nanoTime() - start < NANOS) {
            Thread.yield();
        }
    }

    /** The stall of a virtual thread, which must keep its carrier: spin without yielding. */
    static void spin() {
        long start = System.nanoTime();
        while (System.nanoTime() - start < NANOS) {
            Thread.onSpinWait();
        }
    }
}
