package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.Scheduler;
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
 * overflow is reversed before it goes on the stack, so it comes out in its original order.
 *
 * <p>No shared counter: a push is its one CAS, and nothing else touches a line that producers
 * and consumers share. The consumers count what they take off the stack as they reverse it, so
 * a batch's fair share is computed under the lock from an exact count ({@link #popBatch}); the
 * depth reported to metrics walks the queue ({@link #len}). A counter updated on every push and
 * pop cost two more contended atomic operations per task spawned from outside.
 *
 * <h2>Registering what was spawned from outside</h2>
 * A task spawned by a thread outside the runtime is pushed here without being registered in the
 * runtime's {@link dev.eventide.runtime.task.TaskRegistry} (see {@link Scheduler#spawn}): the
 * thread that pops it registers it, in its own shard, before it releases the lock. So a task
 * spawned from outside is always either in this queue, unregistered, or registered; the close
 * walks the registry, then this queue under the lock ({@link #cancelUnregistered}), and misses
 * none. The spawning thread, often the one that feeds the whole runtime, is spared the
 * registry's CAS and counter.
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
    /** How many tasks {@link #taken} holds; guarded by {@link #lock}. */
    private int takenLen;
    /** Registers the unregistered tasks popped here; null for a queue that only ever holds registered ones. */
    private final Scheduler registrar;

    /** A queue of registered tasks only (local-queue overflow in tests and benchmarks). */
    InjectQueue() {
        this(null);
    }

    /** A queue whose consumers register, through {@code registrar}, the tasks spawned from outside. */
    InjectQueue(Scheduler registrar) {
        this.registrar = registrar;
    }

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

    boolean isEmpty() {
        return pushed == null && taken == null;
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

    /** Pops a task of a queue that holds registered tasks only. */
    Task<?> pop() {
        return pop(-1);
    }

    /**
     * Pops the oldest task; registers it in registry shard {@code shard} (the popping thread's)
     * if it was spawned from outside.
     */
    Task<?> pop(int shard) {
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
                registerSpawnedOutside(t, 1, shard);
            }
            return t;
        } finally {
            unlock();
        }
    }

    /**
     * Pops a fair share of the queue, one {@code sharers}-th of it plus one but at most
     * {@code n} tasks, as a list linked through {@link Task#next}; returns its first task (null
     * if none) and stores the count in {@code count[0]}. Registers those spawned from outside in
     * registry shard {@code shard}, as {@link #pop(int)} does.
     */
    Task<?> popBatch(int n, int sharers, int[] count, int shard) {
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
            n = Math.min(n, takenLen / sharers + 1);
            Task<?> last = first;
            int k = 1;
            while (k < n && last.next != null) {
                last = last.next;
                k++;
            }
            registerSpawnedOutside(first, k, shard);
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
     * Under the lock: registers, as one chain (one CAS), those of the {@code k} tasks from
     * {@code first} (linked through {@link Task#next}) that were spawned from outside.
     */
    private void registerSpawnedOutside(Task<?> first, int k, int shard) {
        Task<?> chainFirst = null;
        Task<?> chainLast = null;
        int n = 0;
        Task<?> t = first;
        for (int i = 0; i < k; i++, t = t.next) {
            if (!TaskRegistry.isUnregistered(t)) {
                continue;
            }
            if (chainLast == null) {
                chainFirst = t;
            } else {
                TaskRegistry.chain(chainLast, t); // clears chainLast's mark: it is linked now
            }
            chainLast = t;
            n++;
        }
        if (n > 0) {
            registrar.registerLate(chainFirst, chainLast, n, shard);
        }
    }

    /**
     * Completes as cancelled every task spawned from outside that is still queued here, never
     * polled: for the runtime's close, and for a spawn that saw the close only after its push.
     * Under the lock, so that no consumer takes (and registers) one of them meanwhile; a consumer
     * that takes one later finds it complete.
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
        Task<?> t = taken;
        if (t != null) {
            return t;
        }
        Task<?> stack = (Task<?>) PUSHED.getAndSet(this, null);
        Task<?> fifo = null;
        int n = 0;
        while (stack != null) {
            Task<?> next = stack.next;
            stack.next = fifo;
            fifo = stack;
            stack = next;
            n++;
        }
        taken = fifo;
        takenLen = n;
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
