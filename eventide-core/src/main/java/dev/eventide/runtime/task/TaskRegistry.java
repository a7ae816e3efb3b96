package dev.eventide.runtime.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every live task of a runtime that has started, so that shutdown can cancel them all (tokio's
 * {@code OwnedTasks}).
 *
 * <h2>What is registered, and when</h2>
 * A task is registered at the end of its first poll, if that poll did not complete it; until
 * then it is marked {@linkplain #isUnregistered unregistered}. Most tasks complete in their
 * first poll (a spawned piece of work, a link of a chain: workloads W1, W2, W6), and they never
 * touch the registry: a write into a shared list and its unlinking cost a chained spawn a fifth
 * of its time (W6 poll, one worker: 25.5 ns per spawn with, 19.5 without). What the close must
 * reach is then either registered, or waiting for its first poll in a queue, or in its first
 * poll on some thread; {@link dev.eventide.runtime.Scheduler#spawn} says how the close reaches
 * each, and the first poll counts the task as started ({@link #countStarted}).
 *
 * <h2>Shards</h2>
 * Sharded: each worker registers the tasks whose first poll it ran in its own shard, and every
 * other thread (a compensating worker, one that gave its core away, the thread driving a
 * current-thread runtime) in a shared one. A worker's shard has a single writer, and the close
 * waits until every worker has seen it before it walks the registry (see the scheduler), so the
 * owner links with plain release stores ({@link #addOwned}); a shared shard takes one CAS per
 * task ({@link #add}), which with a read of the closed flag after it is the Dekker pair with the
 * close. Each shard is a Treiber stack linked through {@link Task#nextLive}. Completed tasks are
 * not unlinked when they complete; a shard is pruned, by whichever thread wins its
 * {@code pruning} flag, once it has grown past twice the live count of its last pruning, which
 * keeps the cost amortised O(1) per registration and the memory within a constant factor of the
 * live tasks. The pruner only unlinks nodes behind the head, which pushers never touch, and an
 * unlinked node keeps pointing into the list, so a concurrent walk stays valid.
 *
 * <h2>Pruning near the head</h2>
 * A full pruning visits every node, and the completed ones are cold by then. So a worker adding
 * to its own shard also looks at the two nodes behind its new head, which it touched moments
 * ago, and unlinks those that completed. Only the owner does this, without the flag: two threads
 * unlinking at once is safe, because each only ever links a node to the next node it saw live,
 * past completed ones, and completion is final, so the worst a stale read can do is keep a
 * completed node a while longer. What this unlinks is not counted towards the next full
 * pruning.
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
    /** Shards {@code [0, ownedShards)} have a single writer each; see {@link #addOwned}. */
    private final int ownedShards;
    /** Tasks started on threads that own no shard, which several threads may count at once. */
    private final LongAdder sharedStarted = new LongAdder();

    /**
     * @param shards the number of shards: the owned ones, then shared ones, the last of them the
     *        foreign shard
     * @param ownedShards how many of the first shards have a single writer each (a worker)
     */
    public TaskRegistry(int shards, int ownedShards) {
        if (ownedShards < 0 || ownedShards >= shards) {
            throw new IllegalArgumentException("ownedShards must be in [0, shards), got " + ownedShards);
        }
        this.shards = new Shard[shards];
        for (int i = 0; i < shards; i++) {
            this.shards[i] = new Shard();
        }
        this.ownedShards = ownedShards;
    }

    /**
     * Marks {@code task} as not registered: a new task, until the end of its first poll (see the
     * class documentation). The mark is a registry link to itself, which no registered task has.
     * Before the task is queued, which publishes it.
     */
    public static void markUnregistered(Task<?> task) {
        task.nextLive = task;
    }

    /** Whether {@code task} carries the {@linkplain #markUnregistered mark}: it has not been registered. */
    public static boolean isUnregistered(Task<?> task) {
        return task.nextLive == task;
    }

    /** Whether shard {@code shard} has a single writer, which registers with {@link #addOwned}. */
    public boolean isOwned(int shard) {
        return shard < ownedShards;
    }

    /** Counts a task whose first poll starts on a thread that registers in shard {@code shard}. */
    public void countStarted(int shard) {
        if (shard < ownedShards) {
            shards[shard].started++; // only the owner counts here
        } else {
            sharedStarted.increment();
        }
    }

    /**
     * Adds {@code task} to the {@linkplain #isOwned owned} shard {@code shard}, from its owner:
     * plain release stores, no CAS. The close orders itself after the owner's adds otherwise
     * (it waits until every owner has seen it closed, see the scheduler).
     */
    public void addOwned(Task<?> task, int shard) {
        Shard s = shards[shard];
        NEXT.setRelease(task, s.head);
        HEAD.setRelease(s, task);
        s.addedSincePrune += 1 - unlinkCompletedBehind(task);
        if (s.addedSincePrune >= s.pruneThreshold) {
            s.prune();
        }
    }

    /**
     * Adds {@code task} to the shared shard {@code shard}, from any thread: one CAS, which with a
     * read of the closed flag after it makes the Dekker pair with the close.
     */
    public void add(Task<?> task, int shard) {
        Shard s = shards[shard];
        for (;;) {
            Task<?> head = s.head;
            NEXT.setRelease(task, head);
            if (HEAD.compareAndSet(s, head, task)) {
                break;
            }
        }
        if (++s.addedSincePrune >= s.pruneThreshold) { // racy: only a heuristic
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
        for (int i = 0; i < shards.length; i++) {
            forEachLiveIn(i, action);
        }
    }

    /** Calls {@code action} on every task added to shard {@code shard} and not yet seen complete. */
    public void forEachLiveIn(int shard, Consumer<Task<?>> action) {
        for (Task<?> t = shards[shard].head; t != null; t = (Task<?>) NEXT.getAcquire(t)) {
            if (!t.isFinished()) {
                action.accept(t);
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
     * Tasks started (first polled) since the registry was created: the runtime's spawn count.
     * Reads the workers' counters racily (each may be a few tasks old); see {@code RuntimeMetrics}.
     */
    public long startedTotal() {
        long n = sharedStarted.sum();
        for (int i = 0; i < ownedShards; i++) {
            n += shards[i].started;
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
        private long started; // owned shards only: written by the owner, read racily
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
