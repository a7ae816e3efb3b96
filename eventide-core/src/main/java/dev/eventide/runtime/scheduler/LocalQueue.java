package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's run queue: a bounded ring of {@value #CAPACITY} tasks, pushed and popped by its
 * owner, from which other workers steal half at a time (tokio's {@code queue.rs}).
 *
 * <h2>Protocol</h2>
 * {@code tail} is written only by the owner (plain reads by the owner, release stores).
 * {@code head} packs two 32-bit indices, <em>steal</em> (high) and <em>real</em> (low):
 * tasks in {@code [real, tail)} are in the queue; a stealer that has claimed
 * {@code [steal, real)} is still copying them out, and until it moves {@code steal} up to
 * {@code real} the owner may not reuse those slots, and no second stealer may start.
 * Every change to {@code head} is one CAS. Indices are wrapping {@code int}s; differences are
 * taken in {@code int} arithmetic, which is exact while they stay below 2^31.
 *
 * <p>On overflow the owner moves half of its queue, plus the new task, to the global queue in
 * one batch, so a burst of spawns is shared out instead of stalling the worker.
 */
final class LocalQueue extends LocalQueueFields {
    /** The run queue's capacity (tokio's figure). */
    static final int CAPACITY = 256;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(LocalQueueHead.class, "head", long.class);
            TAIL = l.findVarHandle(LocalQueueFields.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Task<?>[] buffer;
    private final int capacity;
    private final int mask;

    LocalQueue() {
        this(CAPACITY);
    }

    /** A queue of {@code capacity} slots, a power of two: small ones let tests reach every path. */
    LocalQueue(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 2) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, got " + capacity);
        }
        this.buffer = new Task<?>[capacity];
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    int capacity() {
        return capacity;
    }

    private static long pack(int steal, int real) {
        return ((long) steal << 32) | (real & 0xFFFF_FFFFL);
    }

    private static int steal(long head) {
        return (int) (head >>> 32);
    }

    private static int real(long head) {
        return (int) head;
    }

    private long lvHead() {
        return (long) HEAD.getVolatile(this);
    }

    private boolean casHead(long expect, long update) {
        return HEAD.compareAndSet(this, expect, update);
    }

    private int lvTail() {
        return (int) TAIL.getAcquire(this);
    }

    private void soTail(int value) {
        TAIL.setRelease(this, value);
    }

    /** Number of tasks in the queue (a snapshot, for any thread). */
    int len() {
        long h = lvHead();
        return lvTail() - real(h);
    }

    boolean isEmpty() {
        return len() <= 0;
    }

    /** Free slots; exact for the owner, since other threads only remove. */
    int remainingSlots() {
        return capacity - (tail - steal(lvHead()));
    }

    /** Owner only: pushes {@code task}, moving half the queue to {@code overflow} if it is full. */
    void pushBack(Task<?> task, InjectQueue overflow) {
        for (;;) {
            long h = lvHead();
            int steal = steal(h);
            int real = real(h);
            int t = tail;
            if (t - steal < capacity) {
                buffer[t & mask] = task;
                soTail(t + 1);
                return;
            }
            if (steal != real) {
                // A stealer is working on the queue: it will make room; meanwhile go global.
                overflow.push(task);
                return;
            }
            if (pushOverflow(task, real, t, overflow)) {
                return;
            }
            // A stealer took tasks between our reads: there is room now; retry.
        }
    }

    private boolean pushOverflow(Task<?> task, int head, int t, InjectQueue overflow) {
        final int n = capacity / 2;
        if (t - head != capacity) {
            return false;
        }
        if (!casHead(pack(head, head), pack(head + n, head + n))) {
            return false;
        }
        // The n tasks at [head, head + n) are ours: link them, with the new one, into one batch.
        Task<?> first = buffer[head & mask];
        Task<?> last = first;
        buffer[head & mask] = null;
        for (int i = 1; i < n; i++) {
            int idx = (head + i) & mask;
            Task<?> next = buffer[idx];
            buffer[idx] = null;
            last.next = next;
            last = next;
        }
        last.next = task;
        task.next = null;
        overflow.pushBatch(first, task, n + 1);
        return true;
    }

    /**
     * Owner only: pushes up to {@code n} tasks from the linked list {@code first}, which the
     * caller has checked fit ({@code n <= remainingSlots()}).
     */
    void pushBackBatch(Task<?> first, int n) {
        int t = tail;
        Task<?> task = first;
        for (int i = 0; i < n; i++) {
            Task<?> next = task.next;
            task.next = null;
            buffer[(t + i) & mask] = task;
            task = next;
        }
        soTail(t + n);
    }

    /** Owner only: takes the task at the head, or returns null if empty. */
    Task<?> pop() {
        long h = lvHead();
        int idx;
        for (;;) {
            int steal = steal(h);
            int real = real(h);
            if (real == tail) {
                return null;
            }
            int nextReal = real + 1;
            long next = steal == real ? pack(nextReal, nextReal) : pack(steal, nextReal);
            if (casHead(h, next)) {
                idx = real & mask;
                break;
            }
            h = lvHead();
        }
        Task<?> task = buffer[idx];
        buffer[idx] = null;
        return task;
    }

    /**
     * Any thread but the owner of {@code dst}'s source: steals half of this queue into
     * {@code dst} (owned by the calling worker) and returns one of the stolen tasks, or null.
     */
    Task<?> stealInto(LocalQueue dst) {
        int dstTail = dst.tail;
        if (dstTail - steal(dst.lvHead()) > dst.capacity / 2) {
            return null; // not enough room in our own queue: no point stealing
        }
        int n = stealInto2(dst, dstTail);
        if (n == 0) {
            return null;
        }
        n--;
        int retIdx = (dstTail + n) & mask;
        Task<?> ret = dst.buffer[retIdx];
        dst.buffer[retIdx] = null;
        if (n > 0) {
            dst.soTail(dstTail + n);
        }
        return ret;
    }

    private int stealInto2(LocalQueue dst, int dstTail) {
        long prev = lvHead();
        long next;
        int n;
        for (;;) {
            int steal = steal(prev);
            int real = real(prev);
            int srcTail = lvTail();
            if (steal != real) {
                return 0; // another worker is stealing from this queue
            }
            n = srcTail - real;
            n = n - n / 2;
            if (n <= 0) {
                return 0;
            }
            next = pack(steal, real + n);
            if (casHead(prev, next)) {
                break;
            }
            prev = lvHead();
        }
        int first = steal(next);
        for (int i = 0; i < n; i++) {
            int srcIdx = (first + i) & mask;
            dst.buffer[(dstTail + i) & mask] = buffer[srcIdx];
            buffer[srcIdx] = null;
        }
        // Done copying: release the claimed slots by moving steal up to real.
        prev = next;
        for (;;) {
            int real = real(prev);
            if (casHead(prev, pack(real, real))) {
                return n;
            }
            prev = lvHead();
        }
    }
}

/** Padding ahead of the contended {@code head} (false sharing with the object header and neighbours). */
@SuppressWarnings("unused")
abstract class LocalQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16;
}

/** The packed steal/real head, written by the owner (pop) and stealers. */
@SuppressWarnings("unused")
abstract class LocalQueueHead extends LocalQueuePad0 {
    volatile long head;
}

@SuppressWarnings("unused")
abstract class LocalQueuePad1 extends LocalQueueHead {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36;
}

/** The tail, written by the owner only. */
@SuppressWarnings("unused")
abstract class LocalQueueFields extends LocalQueuePad1 {
    int tail;
}
