package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Handle;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A set of spawned tasks, joined in the order they finish: structured concurrency for a dynamic
 * number of tasks. Closing the set aborts whatever is still running, so no task outlives the
 * scope that owns the set.
 *
 * <pre>{@code
 * try (JoinSet<Page> set = new JoinSet<>()) {
 *     for (URI u : uris) set.spawn(() -> fetch(u));
 *     while (!set.isEmpty()) {
 *         Page p = set.joinNext().await();     // whichever finished first
 *         ...
 *     }
 * }                                            // an exception above aborts the rest
 * }</pre>
 *
 * <h2>Outcomes</h2>
 * {@link #joinNext()} yields the value of a task that finished; if that task threw, it fails with
 * {@link dev.eventide.TaskFailedException}, and if it was aborted, with
 * {@link dev.eventide.CancelledException}; either way the task leaves the set. It yields null
 * when the set is empty, so check {@link #isEmpty()} when tasks may return null.
 *
 * <h2>Threads</h2>
 * A set belongs to one owner: call {@link #spawn}, {@link #joinNext} and {@link #close} from one
 * task at a time (as tokio's {@code &mut self}); tasks finish on any thread.
 *
 * <h2>Cancellation safety</h2>
 * {@link #joinNext()} is cancel-safe: a cancelled call takes no task out of the set, so no
 * outcome is lost; the next call gets it.
 *
 * <h2>Implementation overview</h2>
 * Each task has an {@code Entry} that is both the waker and the poll context of the task's
 * handle: when the task finishes, the entry puts itself (once) on a lock-free ready queue and
 * wakes the owner. {@code joinNext} polls only entries from the ready queue, so a wake-up costs
 * O(1), not O(tasks).
 */
public final class JoinSet<T> implements AutoCloseable {
    private final Handle handle;
    /** Tasks not joined yet; guarded by {@code this}. */
    private final Set<Entry<T>> entries = new LinkedHashSet<>();
    /** Entries whose task (probably) finished. */
    private final ConcurrentLinkedQueue<Entry<T>> ready = new ConcurrentLinkedQueue<>();
    /** The waker of the owner's pending {@link #joinNext}, or null. */
    private volatile Waker joiner;
    private boolean closed;

    /** A set that spawns onto the runtime of the thread that calls {@link #spawn}. */
    public JoinSet() {
        this.handle = null;
    }

    /** A set that spawns onto {@code handle}'s runtime, from any thread. */
    public JoinSet(Handle handle) {
        this.handle = Objects.requireNonNull(handle, "handle");
    }

    /**
     * Spawns an async block into the set.
     *
     * @return the task's handle, for aborting it alone; its outcome is still reported by
     *     {@link #joinNext()}
     * @throws IllegalStateException if the set is closed, or (for a set without handle) the
     *     calling thread drives no runtime
     */
    public JoinHandle<T> spawn(Callable<T> block) {
        Objects.requireNonNull(block, "block");
        checkOpen();
        return add(handle == null ? Eventide.spawn(block) : handle.spawn(block));
    }

    /** Spawns a poll-based future into the set; see {@link #spawn(Callable)}. */
    public JoinHandle<T> spawn(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkOpen();
        return add(handle == null ? Eventide.spawn(future) : handle.spawn(future));
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this JoinSet is closed: it cannot spawn more tasks");
        }
    }

    private JoinHandle<T> add(JoinHandle<T> task) {
        Entry<T> e = new Entry<>(this, task);
        boolean accepted;
        synchronized (this) {
            accepted = !closed;
            if (accepted) {
                entries.add(e);
            }
        }
        if (!accepted) {
            task.abort(); // closed concurrently: the task must not outlive the set
            throw new IllegalStateException("this JoinSet is closed: it cannot spawn more tasks");
        }
        e.register();
        return task;
    }

    /** The number of tasks in the set (running, or finished and not yet joined). */
    public synchronized int size() {
        return entries.size();
    }

    /** Whether the set holds no task. */
    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * A future of the next task to finish: its value, or its failure (see the class
     * documentation); null if the set is empty. Cancel-safe.
     */
    public Future<T> joinNext() {
        return new JoinNext();
    }

    /** Aborts every task in the set; their outcomes (cancelled, mostly) are still joined. */
    public void abortAll() {
        List<Entry<T>> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(entries);
        }
        for (Entry<T> e : snapshot) {
            e.task.abort();
        }
    }

    /** Aborts every task still in the set and empties it; later spawns fail. Idempotent. */
    @Override
    public void close() {
        List<Entry<T>> snapshot;
        synchronized (this) {
            closed = true;
            snapshot = new ArrayList<>(entries);
            entries.clear();
        }
        ready.clear();
        for (Entry<T> e : snapshot) {
            e.task.abort();
        }
    }

    private synchronized boolean remove(Entry<T> e) {
        return entries.remove(e);
    }

    @Override
    public String toString() {
        return "JoinSet[" + size() + " tasks]";
    }

    /** The owner's wait for the next finished entry. */
    private final class JoinNext implements Future<T> {
        private boolean done;

        @Override
        public Poll<T> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("joinNext future polled after it completed or was cancelled");
            }
            Waker w = cx.waker();
            if (joiner != w) {
                joiner = w; // before draining: an entry queued from now on wakes w
            }
            for (;;) {
                Entry<T> e;
                while ((e = ready.poll()) != null) {
                    e.clearQueued(); // a wake from now on queues the entry again
                    if (!e.task.isFinished() && !Coop.hasBudget(cx)) {
                        // Polling the handle now would fail its coop check, wake the entry and
                        // queue it again at once: put it back and yield instead of spinning.
                        e.wake();
                        return Poll.pending();
                    }
                    Poll<T> p;
                    try {
                        p = e.task.poll(e);
                    } catch (RuntimeException | Error failure) {
                        if (remove(e)) {
                            done = true;
                            throw failure;
                        }
                        continue; // removed by close()
                    }
                    if (p.isReady() && remove(e)) {
                        done = true;
                        return Poll.ready(p.value());
                    }
                }
                if (isEmpty()) {
                    if (!Coop.proceed(cx)) {
                        return Poll.pending();
                    }
                    done = true;
                    return Poll.ready(null);
                }
                if (ready.isEmpty()) {
                    return Poll.pending(); // an entry queued after this check wakes w
                }
            }
        }

        @Override
        public void cancel() {
            done = true;
            joiner = null;
        }
    }

    /** One task of the set: the waker and poll context its handle is polled with. */
    private static final class Entry<T> implements Waker, Context {
        private static final VarHandle QUEUED;

        static {
            try {
                QUEUED = MethodHandles.lookup().findVarHandle(Entry.class, "queued", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final JoinSet<T> set;
        final JoinHandle<T> task;
        @SuppressWarnings("unused") // accessed through QUEUED
        private volatile boolean queued;

        Entry(JoinSet<T> set, JoinHandle<T> task) {
            this.set = set;
            this.task = task;
        }

        /** Registers this entry as a joiner of the task, or queues it if the task already finished. */
        void register() {
            try {
                if (task.poll(this).isReady()) {
                    wake();
                }
            } catch (RuntimeException | Error finishedBadly) {
                wake(); // the outcome is read again, and reported, by joinNext
            }
        }

        void clearQueued() {
            QUEUED.setVolatile(this, false);
        }

        @Override
        public Waker waker() {
            return this;
        }

        @Override
        public void wake() {
            if (QUEUED.compareAndSet(this, false, true)) {
                set.ready.add(this);
                Waker j = set.joiner;
                if (j != null) {
                    j.wake();
                }
            }
        }
    }
}
