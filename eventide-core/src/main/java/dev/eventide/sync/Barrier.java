package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;

/**
 * Makes a fixed number of tasks wait for each other: each calls {@link #arrive()} and awaits
 * it; when the last of the {@code parties} arrives, all of them continue, and the barrier resets
 * for the next round (it is cyclic).
 *
 * <pre>{@code
 * Barrier start = new Barrier(workers);
 * for (int i = 0; i < workers; i++) {
 *     Eventide.spawn(() -> { prepare(); start.arrive().await(); run(); });
 * }
 * }</pre>
 *
 * <p>Exactly one arrival of each round, the one that completed it, gets {@code true} (it is the
 * <em>leader</em>, e.g. to do per-round work once); the others get {@code false}.
 *
 * <h2>Cancellation safety</h2>
 * {@link #arrive()} is cancel-safe before its round completes, which tokio's barrier is not: an
 * arrival is counted when the future is first polled, and an arrival cancelled while it waits is
 * withdrawn (the round then needs one more). A round cannot be undone, though: if the round
 * completed just before the cancellation (the arrival was released but its future was not polled
 * again), the arrival stays counted in that round, and the caller, which never saw the result,
 * cannot tell. Code that must know should not race {@code arrive()} against other futures.
 */
public final class Barrier {
    private final int parties;
    private final WaiterQueue waiters = new WaiterQueue();
    /** Arrivals in the current round; guarded by the queue's monitor. */
    private int arrived;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @throws IllegalArgumentException if {@code parties} is not positive
     */
    public Barrier(int parties) {
        if (parties <= 0) {
            throw new IllegalArgumentException("parties must be positive, got " + parties);
        }
        this.parties = parties;
    }

    /** The number of arrivals that complete a round. */
    public int parties() {
        return parties;
    }

    /** Arrivals counted in the current round (a snapshot). */
    public int arrived() {
        synchronized (waiters) {
            return arrived;
        }
    }

    /**
     * A future that arrives at the barrier when first polled and completes when the round does:
     * with {@code true} for the arrival that completed it, {@code false} for the others.
     */
    public Future<Boolean> arrive() {
        return new Arrival(this);
    }

    @Override
    public String toString() {
        return "Barrier[" + arrived() + "/" + parties + "]";
    }

    /** The future of {@link #arrive()}, and its waiter node. */
    private static final class Arrival extends WaiterNode implements Future<Boolean> {
        private static final int NEW = 0;
        private static final int WAITING = 1;
        private static final int DONE = 2;

        private final Barrier barrier;
        /** Set under the lock when the round completes. */
        private volatile boolean released;
        private int phase = NEW;

        Arrival(Barrier barrier) {
            this.barrier = barrier;
        }

        @Override
        public Poll<Boolean> poll(Context cx) {
            if (phase == NEW) {
                if (!Coop.proceed(cx)) {
                    return Poll.pending();
                }
                WakeList wake = new WakeList();
                WaiterQueue q = barrier.waiters;
                synchronized (q) {
                    if (++barrier.arrived < barrier.parties) {
                        waker = cx.waker();
                        q.addLast(this);
                        phase = WAITING;
                        return Poll.pending();
                    }
                    barrier.arrived = 0;
                    for (WaiterNode n; (n = q.pollFirst()) != null; ) {
                        ((Arrival) n).released = true;
                        wake.add(n);
                    }
                }
                wake.wakeAll();
                phase = DONE;
                return Poll.ready(Boolean.TRUE);
            }
            if (phase == DONE) {
                throw new IllegalStateException("barrier arrival polled after it completed or was cancelled");
            }
            if (released) {
                return complete(cx);
            }
            Waker w = cx.waker();
            if (w != waker) {
                synchronized (barrier.waiters) {
                    if (!released) {
                        waker = w;
                        return Poll.pending();
                    }
                }
                return complete(cx);
            }
            return Poll.pending();
        }

        private Poll<Boolean> complete(Context cx) {
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            phase = DONE;
            return Poll.ready(Boolean.FALSE);
        }

        @Override
        public void cancel() {
            if (phase == WAITING) {
                synchronized (barrier.waiters) {
                    if (barrier.waiters.remove(this)) {
                        barrier.arrived--;
                    }
                }
            }
            phase = DONE;
        }
    }
}
