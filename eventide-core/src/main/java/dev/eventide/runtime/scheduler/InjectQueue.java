package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.task.Task;
import dev.eventide.runtime.task.TaskRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global injection queue of the multi-thread scheduler (and, in thread-per-core mode, each
 * worker's inbox): tasks spawned or woken from outside the workers, and local-queue overflow.
 *
 * <p>Intrusive (linked through {@link Task#next}, so pushing allocates nothing), multi-producer,
 * multi-consumer, FIFO. Producers push onto a Treiber stack with one CAS. Consumers take turns
 * through a spin lock held for a handful of instructions: the holder pops from a private FIFO
 * list, refilling it when empty by taking the whole stack and reversing it. A batch pushed on
 * overflow is reversed before it goes on the stack, so it comes out in its original order. A
 * batch pop first moves the whole stack behind the private list, so that its fair share is a
 * share of everything queued: computed from the private list alone, a few leftovers in it hid
 * hundreds of newer tasks on the stack, and each turn took a handful.
 *
 * <p>No shared counter: a push is its one CAS, and nothing else touches a line that producers
 * and consumers share. The consumers count what they take off the stack as they reverse it, so
 * a batch's fair share is computed under the lock from an exact count ({@link #popBatch}); the
 * depth reported to metrics walks the queue ({@link #len}). A counter updated on every push and
 * pop cost two more contended atomic operations per task spawned from outside.
 *
 * <p>The close cancels the tasks that still wait here for their first poll
 * ({@link #cancelUnregistered}), under the lock, so that no consumer takes one of them meanwhile;
 * a consumer that takes one later finds it complete.
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
    /** The consumers' spin lock and version: odd while held, one higher at each lock and unlock. */
    @SuppressWarnings("unused")
    private volatile int lock;
    /** The last task of {@link #taken} (meaningless when it is empty); guarded by {@link #lock}. */
    private Task<?> takenTail;
    /** How many tasks {@link #taken} holds; guarded by {@link #lock}. */
    private int takenLen;

    void push(Task<?> task) {
        for (;;) {
            Task<?> top = pushed;
            task.next = top;
            if (PUSHED.compareAndSet(this, top, task)) {
                return;
            }
        }
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
                return;
            }
        }
    }

    /**
     * Whether the queue is empty, without the lock. Exact (linearizable), not a hint: a consumer
     * moving tasks from the stack to its list, or popping the list's last task while producers
     * push, leaves both fields null for a moment, so two plain reads could call a non-empty queue
     * empty (a model check found both). So the lock word doubles as a version, odd while held:
     * the answer is "empty" only if no consumer held the lock while the fields were read. An
     * overlap answers "not empty", and the caller takes the lock to find out.
     */
    boolean isEmpty() {
        int v = lock;
        if ((v & 1) != 0) {
            return false;
        }
        return pushed == null && taken == null && lock == v;
    }

    /** The number of queued tasks, for metrics: walks the queue under the consumers' lock. */
    int len() {
        if (isEmpty()) {
            return 0;
        }
        lock();
        try {
            int n = takenLen;
            for (Task<?> t = pushed; t != null; t = t.next) {
                n++; // producers only link new nodes in front of this read
            }
            return n;
        } finally {
            unlock();
        }
    }

    /** Pops the oldest task, or returns null if the queue is empty. */
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
                takenLen--;
            }
            return t;
        } finally {
            unlock();
        }
    }

    /**
     * Pops a fair share of the queue, one {@code sharers}-th of it plus one but at most
     * {@code n} tasks, as a list linked through {@link Task#next}; returns its first task (null
     * if none) and stores the count in {@code count[0]}.
     */
    Task<?> popBatch(int n, int sharers, int[] count) {
        count[0] = 0;
        if (n <= 0 || isEmpty()) {
            return null;
        }
        lock();
        try {
            appendPushed();
            Task<?> first = taken;
            if (first == null) {
                return null;
            }
            n = Math.min(n, takenLen / sharers + 1);
            Task<?> last = first;
            int k = 1;
            while (k < n && last.next != null) {
                last = last.next;
                k++;
            }
            taken = last.next;
            last.next = null;
            takenLen -= k;
            count[0] = k;
            return first;
        } finally {
            unlock();
        }
    }

    /**
     * Completes as cancelled every task that is still queued here for its first poll (it is
     * unregistered: see {@code TaskRegistry}): for the runtime's close, and for a spawn that saw
     * the close only after its push. Under the lock, so that no consumer takes one of them
     * meanwhile; a consumer that takes one later finds it complete.
     */
    void cancelUnregistered() {
        lock();
        try {
            cancelUnregistered(taken);
            cancelUnregistered(pushed); // producers only ever link new nodes in front of this read
        } finally {
            unlock();
        }
    }

    private static void cancelUnregistered(Task<?> list) {
        for (Task<?> t = list; t != null; t = t.next) {
            if (TaskRegistry.isUnregistered(t) && !t.isFinished()) {
                t.cancelUnscheduled();
            }
        }
    }

    private Task<?> refilledHead() {
        if (taken == null) {
            appendPushed();
        }
        return taken;
    }

    /** Under the lock: moves the producers' stack, oldest first, behind {@link #taken}. */
    private void appendPushed() {
        if (pushed == null) {
            return;
        }
        Task<?> stack = (Task<?>) PUSHED.getAndSet(this, null);
        Task<?> newest = stack;
        Task<?> fifo = null;
        int n = 0;
        while (stack != null) {
            Task<?> next = stack.next;
            stack.next = fifo;
            fifo = stack;
            stack = next;
            n++;
        }
        if (taken == null) {
            taken = fifo;
        } else {
            takenTail.next = fifo;
        }
        takenTail = newest;
        takenLen += n;
    }

    /** Takes the consumers' lock: its word goes from even (free) to odd (held). */
    private void lock() {
        for (;;) {
            int v = lock;
            if ((v & 1) == 0 && LOCK.compareAndSet(this, v, v + 1)) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** Releases the lock: the word becomes even again, one version further (see {@link #isEmpty()}). */
    private void unlock() {
        LOCK.setRelease(this, lock + 1);
    }
}
