package dev.eventide.runtime.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every live task of a runtime, so that shutdown can cancel them all (tokio's {@code OwnedTasks}).
 *
 * <p>Sharded: each worker adds the tasks it spawns to its own shard, and threads outside the
 * runtime share one more, so a spawn is one mostly-uncontended CAS and no lock. Each shard is a
 * Treiber stack linked through {@link Task#nextLive}. Completed tasks are not unlinked when they
 * complete; a shard is pruned, by whichever thread wins its {@code pruning} flag, once it has
 * grown past twice the live count of its last pruning, which keeps the cost amortised O(1) per
 * spawn and the memory within a constant factor of the live tasks. The pruner only unlinks
 * nodes behind the head, which pushers never touch, and an unlinked node keeps pointing into the
 * list, so a concurrent walk stays valid.
 *
 * <h2>Pruning near the head</h2>
 * A full pruning visits every node, and the completed ones are cold by then: in a chain of
 * spawns (each task spawns one and ends, workload W6) that cost a cache miss per spawn, about
 * an eighth of the spawn. So a worker adding to its own shard also looks at the two nodes
 * behind its new head, which it touched moments ago (typically the spawning task, still
 * running, and the one it replaced, just completed), and unlinks those that completed. Only
 * the owner does this, without the flag: two threads unlinking at once is safe, because each
 * only ever links a node to the next node it saw live, past completed ones, and completion is
 * final, so the worst a stale read can do is keep a completed node a while longer. What this
 * unlinks is not counted towards the next full pruning, which chains then never need.
 */
public final class TaskRegistry {
    private static final VarHandle HEAD;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Shard.class, "head", Task.class);
            NEXT = l.findVarHandle(Task.class, "nextLive", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int MIN_PRUNE_THRESHOLD = 1024;

    private final Shard[] shards;
    /** Spawns counted on the foreign shard, which many threads share. */
    private final LongAdder foreignAdded = new LongAdder();

    /**
     * How far past its pruning threshold the foreign shard may grow, when workers prune it, before
     * a spawning thread prunes it itself (workers that cannot keep up: all of them blocked).
     */
    private static final int FOREIGN_BACKSTOP = 4;

    /** Whether workers prune the foreign shard ({@link #pruneForeignIfDue}) rather than its spawners. */
    private final boolean workersPruneForeign;

    /**
     * @param shards the number of shards: one per worker plus one for foreign threads
     * @param workersPruneForeign whether the runtime's workers call {@link #pruneForeignIfDue}
     *        (off their critical path) so that threads spawning from outside need not
     */
    public TaskRegistry(int shards, boolean workersPruneForeign) {
        this.shards = new Shard[shards];
        for (int i = 0; i < shards; i++) {
            this.shards[i] = new Shard();
        }
        this.workersPruneForeign = workersPruneForeign;
    }

    /**
     * Marks {@code task}, spawned from outside the runtime, as not registered yet: the thread that
     * takes it from the shared queue it is pushed to registers it (see {@code InjectQueue}). The
     * mark is a registry link to itself, which no registered task has. Before the push, which
     * publishes it.
     */
    public static void markUnregistered(Task<?> task) {
        task.nextLive = task;
    }

    /** Whether {@code task} carries the {@linkplain #markUnregistered mark}: spawned from outside, not yet registered. */
    public static boolean isUnregistered(Task<?> task) {
        return task.nextLive == task;
    }

    /**
     * Links {@code next} behind {@code prev} in a chain of tasks to register together
     * ({@link #addChain}); both must be {@linkplain #isUnregistered unregistered} until then.
     */
    public static void chain(Task<?> prev, Task<?> next) {
        prev.nextLive = next;
    }

    /** The task after {@code t} in a chain built with {@link #chain} (or in a shard). */
    public static Task<?> nextInChain(Task<?> t) {
        return t.nextLive;
    }

    /**
     * Adds the chain {@code first → … → last} of {@code n} tasks, built with {@link #chain}, to
     * shard {@code shard} in one CAS: the tasks spawned from outside that one pop took from a
     * shared queue.
     */
    public void addChain(Task<?> first, Task<?> last, int n, int shard) {
        Shard s = shards[shard];
        push(s, first, last);
        if (shard == shards.length - 1) {
            foreignAdded.add(n);
        } else {
            s.added += n; // a worker's shard: only that worker adds to it
        }
        s.addedSincePrune += n;
        if (s.addedSincePrune >= s.pruneThreshold) {
            s.prune();
        }
    }

    /** Adds {@code task} to shard {@code shard} (a worker index, or the last shard). */
    public void add(Task<?> task, int shard) {
        Shard s = shards[shard];
        push(s, task, task);
        if (shard == shards.length - 1) {
            foreignAdded.increment();
            int limit = workersPruneForeign ? s.pruneThreshold * FOREIGN_BACKSTOP : s.pruneThreshold;
            if (++s.addedSincePrune >= limit) {
                s.prune();
            }
            return;
        }
        s.added++; // a worker's shard: only that worker adds to it
        s.addedSincePrune += 1 - unlinkCompletedBehind(task);
        if (s.addedSincePrune >= s.pruneThreshold) {
            s.prune();
        }
    }

    /** Pushes the chain {@code first → … → last} onto shard {@code s}'s stack: one CAS, retried. */
    private static void push(Shard s, Task<?> first, Task<?> last) {
        for (;;) {
            Task<?> head = s.head;
            NEXT.setRelease(last, head);
            if (HEAD.compareAndSet(s, head, first)) {
                return;
            }
        }
    }

    /**
     * Prunes the foreign shard if it has grown past its threshold; called by workers between
     * tasks. A thread spawning from outside (a main thread spawning ten thousand tasks, W1)
     * would otherwise walk the shard itself, through tasks that workers completed, a cache
     * miss each: a fifth of its spawn time in a profile, on the path everything else waits for.
     */
    public void pruneForeignIfDue() {
        Shard s = shards[shards.length - 1];
        if (s.addedSincePrune >= s.pruneThreshold) {
            s.prune();
        }
    }

    /** Nodes behind a worker's new head that {@link #unlinkCompletedBehind} looks at. */
    private static final int NEAR_HEAD = 2;

    /**
     * Unlinks the completed tasks among the {@value #NEAR_HEAD} nodes behind {@code head}, the
     * task the shard's owner just pushed; returns how many (see the class documentation).
     */
    private static int unlinkCompletedBehind(Task<?> head) {
        int unlinked = 0;
        Task<?> prev = head;
        for (int i = 0; i < NEAR_HEAD; i++) {
            Task<?> t = (Task<?>) NEXT.getAcquire(prev);
            if (t == null) {
                break;
            }
            if (t.isFinished()) {
                NEXT.setRelease(prev, (Task<?>) NEXT.getAcquire(t));
                unlinked++;
            } else {
                prev = t;
            }
        }
        return unlinked;
    }

    /** The index of the shard for threads that are not workers. */
    public int foreignShard() {
        return shards.length - 1;
    }

    /** Calls {@code action} on every task added and not yet seen complete. */
    public void forEachLive(Consumer<Task<?>> action) {
        VarHandle.fullFence();
        for (Shard s : shards) {
            for (Task<?> t = s.head; t != null; t = (Task<?>) NEXT.getAcquire(t)) {
                if (!t.isFinished()) {
                    action.accept(t);
                }
            }
        }
    }

    /** A task added and not seen complete, or null if there is none (a walk; prunes nothing). */
    public Task<?> anyLive() {
        for (Shard s : shards) {
            for (Task<?> t = s.head; t != null; t = (Task<?>) NEXT.getAcquire(t)) {
                if (!t.isFinished()) {
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * Tasks added since the registry was created: the runtime's spawn count. Reads the workers'
     * counters racily (each may be a few adds old); see {@code RuntimeMetrics}.
     */
    public long addedTotal() {
        long n = foreignAdded.sum();
        for (int i = 0; i < shards.length - 1; i++) {
            n += shards[i].added;
        }
        return n;
    }

    /**
     * The number of live tasks (prunes as it counts). Exact for the tasks added before the call
     * and not completed during it: a shard that another thread is pruning is counted by a walk
     * instead (a count of 0 there once let a current-thread runtime's shutdown stop driving while
     * tasks were still live; SpawnCloseRaceTest).
     */
    public long liveCount() {
        long n = 0;
        for (Shard s : shards) {
            int live = s.prune();
            n += live >= 0 ? live : s.countLive();
        }
        return n;
    }

    @SuppressWarnings("unused") // fields reached through VarHandles
    private static final class Shard {
        private volatile Task<?> head;
        private long added; // worker shards only: written by the owning worker, read racily
        private int addedSincePrune; // racy on the foreign shard, and may go negative: only a heuristic
        private int pruneThreshold = MIN_PRUNE_THRESHOLD;
        private final AtomicBoolean pruning = new AtomicBoolean();

        /** Counts the tasks not seen complete, without unlinking any (a walk is safe beside a pruner). */
        int countLive() {
            int live = 0;
            for (Task<?> t = head; t != null; t = (Task<?>) NEXT.getAcquire(t)) {
                if (!t.isFinished()) {
                    live++;
                }
            }
            return live;
        }

        /**
         * Unlinks completed tasks; returns the live count seen (-1 if another thread is pruning).
         * The head stays, completed or not: unlinking it would need a CAS racing the pushers (one
         * per completed head, which cost a chained spawn more than the rest of the pruning),
         * and it goes at a later pruning, once newer tasks sit in front of it. Behind the head
         * only this thread writes links, and it writes one per run of completed tasks, not one
         * per task.
         */
        int prune() {
            if (!pruning.compareAndSet(false, true)) {
                return -1;
            }
            try {
                Task<?> h = head;
                if (h == null) {
                    addedSincePrune = 0;
                    return 0;
                }
                int live = h.isFinished() ? 0 : 1;
                Task<?> prev = h; // the last node kept
                Task<?> t = (Task<?>) NEXT.getAcquire(h);
                while (t != null) {
                    Task<?> next = (Task<?>) NEXT.getAcquire(t);
                    if (!t.isFinished()) {
                        if (NEXT.getAcquire(prev) != t) {
                            NEXT.setRelease(prev, t); // over the run of completed tasks before t
                        }
                        live++;
                        prev = t;
                    }
                    t = next;
                }
                if (NEXT.getAcquire(prev) != null) {
                    NEXT.setRelease(prev, (Task<?>) null); // the completed tasks at the end
                }
                addedSincePrune = 0;
                pruneThreshold = Math.max(MIN_PRUNE_THRESHOLD, live * 2);
                return live;
            } finally {
                pruning.set(false);
            }
        }
    }
}
