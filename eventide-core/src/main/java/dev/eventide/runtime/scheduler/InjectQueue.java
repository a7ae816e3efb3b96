package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The global injection queue of the multi-thread scheduler (and, in thread-per-core mode, each
 * worker's inbox): tasks spawned or woken from outside the workers, and local-queue overflow.
 *
 * <p>Intrusive (linked through {@link Task#next}, so pushing allocates nothing), multi-producer,
 * multi-consumer, FIFO. Producers push onto a Treiber stack with one CAS. Consumers take turns
 * through a spin lock held for a handful of instructions: the holder pops from a private FIFO
 * list, refilling it when empty by taking the whole stack and reversing it. A batch pushed on
 * overflow is reversed before it goes on the stack, so it comes out in its original order.
 */
final class InjectQueue {
    private static final VarHandle PUSHED;
    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PUSHED = l.findVarHandle(InjectQueue.class, "pushed", Task.class);
            LOCK = l.findVarHandle(InjectQueue.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Newest first; producers' side. */
    @SuppressWarnings("unused")
    private volatile Task<?> pushed;
    /** Oldest first; consumers' side, guarded by {@link #lock}. */
    private volatile Task<?> taken;
    @SuppressWarnings("unused")
    private volatile int lock;
    private final AtomicInteger len = new AtomicInteger();

    void push(Task<?> task) {
        for (;;) {
            Task<?> top = pushed;
            task.next = top;
            if (PUSHED.compareAndSet(this, top, task)) {
                break;
            }
        }
        len.incrementAndGet();
    }

    /** Pushes the list {@code first → … → last} of {@code n} tasks, keeping its order. */
    void pushBatch(Task<?> first, Task<?> last, int n) {
        // Reverse in place so that the stack, read newest-first and reversed again, yields first..last.
        Task<?> prev = null;
        Task<?> t = first;
        while (t != null) {
            Task<?> next = t.next;
            t.next = prev;
            prev = t;
            t = next;
        }
        // now last → … → first; hang the old stack below first
        for (;;) {
            Task<?> top = pushed;
            first.next = top;
            if (PUSHED.compareAndSet(this, top, last)) {
                break;
            }
        }
        len.addAndGet(n);
    }

    boolean isEmpty() {
        return pushed == null && taken == null;
    }

    int len() {
        return len.get();
    }

    Task<?> pop() {
        if (isEmpty()) {
            return null;
        }
        lock();
        try {
            Task<?> t = refilledHead();
            if (t != null) {
                taken = t.next;
                t.next = null;
                len.decrementAndGet();
            }
            return t;
        } finally {
            unlock();
        }
    }

    /**
     * Pops up to {@code n} tasks as a list linked through {@link Task#next}; returns its first
     * task (null if none) and stores the count in {@code count[0]}.
     */
    Task<?> popBatch(int n, int[] count) {
        count[0] = 0;
        if (n <= 0 || isEmpty()) {
            return null;
        }
        lock();
        try {
            Task<?> first = refilledHead();
            if (first == null) {
                return null;
            }
            Task<?> last = first;
            int k = 1;
            while (k < n && last.next != null) {
                last = last.next;
                k++;
            }
            taken = last.next;
            last.next = null;
            len.addAndGet(-k);
            count[0] = k;
            return first;
        } finally {
            unlock();
        }
    }

    private Task<?> refilledHead() {
        Task<?> t = taken;
        if (t != null) {
            return t;
        }
        Task<?> stack = (Task<?>) PUSHED.getAndSet(this, null);
        Task<?> fifo = null;
        while (stack != null) {
            Task<?> next = stack.next;
            stack.next = fifo;
            fifo = stack;
            stack = next;
        }
        taken = fifo;
        return fifo;
    }

    private void lock() {
        while (!LOCK.compareAndSet(this, 0, 1)) {
            Thread.onSpinWait();
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }
}
