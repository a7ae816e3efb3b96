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
    /** The consumers' spin lock and version: odd while held, one higher at each lock and unlock. */
    @SuppressWarnings("unused")
    private volatile int lock;
    /** The last task of {@link #taken} (meaningless when it is empty); guarded by {@link #lock}. */
    private Task<?> takenTail;
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
