package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A cancellation signal that tasks can check or wait for, arranged in a tree: cancelling a token
 * cancels its {@linkplain #child() children} (and theirs), never its parent.
 *
 * <pre>{@code
 * CancellationToken shutdown = new CancellationToken();
 * CancellationToken perConnection = shutdown.child();
 * Eventide.spawn(() -> {
 *     var s = Select.select(perConnection.cancelled(), conn.read(buf)).await();
 *     if (s.index() == 0) return;               // cancelled: stop serving this connection
 *     ...
 * });
 * shutdown.cancel();                             // stops every connection
 * }</pre>
 *
 * <p>Cancellation is one-way and idempotent. A child created from a cancelled token starts
 * cancelled. A parent keeps its live children reachable; a child leaves its parent's set when
 * it is cancelled, so cancel children you no longer need (or let the parent be cancelled).
 *
 * <h2>Cancellation safety</h2>
 * {@link #cancelled()} is cancel-safe: a cancelled wait leaves the queue at once, and since the
 * signal is a state (not a message), nothing can be lost.
 */
public final class CancellationToken {
    private final WaiterQueue waiters = new WaiterQueue();
    private final CancellationToken parent;
    /** Live children; guarded by the queue's monitor; null once cancelled. */
    private Set<CancellationToken> children = new LinkedHashSet<>();
    private volatile boolean cancelled;

    /** A new root token, not cancelled. */
    public CancellationToken() {
        this(null);
    }

    private CancellationToken(CancellationToken parent) {
        this.parent = parent;
    }

    /**
     * A new token that is cancelled when this one is (or at once, if this one already is);
     * cancelling the child does not affect this token.
     */
    public CancellationToken child() {
        CancellationToken c = new CancellationToken(this);
        synchronized (waiters) {
            if (children != null) {
                children.add(c);
                return c;
            }
        }
        c.cancel();
        return c;
    }

    /** Whether this token has been cancelled. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Cancels this token and all its descendants, and wakes every waiter; idempotent. */
    public void cancel() {
        List<CancellationToken> pending = new ArrayList<>();
        pending.add(this);
        // Iterative, so deep token chains cannot overflow the stack.
        for (int i = 0; i < pending.size(); i++) {
            CancellationToken t = pending.get(i);
            Set<CancellationToken> kids;
            WakeList wake = new WakeList();
            synchronized (t.waiters) {
                if (t.cancelled) {
                    continue;
                }
                t.cancelled = true;
                kids = t.children;
                t.children = null;
                for (WaiterNode n; (n = t.waiters.pollFirst()) != null; ) {
                    wake.add(n);
                }
            }
            wake.wakeAll();
            pending.addAll(kids);
            if (t.parent != null) {
                t.parent.forget(t);
            }
        }
    }

    private void forget(CancellationToken child) {
        synchronized (waiters) {
            if (children != null) {
                children.remove(child);
            }
        }
    }

    /** A future that completes once this token is cancelled (at once if it already is). */
    public Future<Void> cancelled() {
        return new Waiting(this);
    }

    @Override
    public String toString() {
        return "CancellationToken[" + (cancelled ? "cancelled" : "live") + "]";
    }

    /** The future of {@link #cancelled()}, and its waiter node. */
    private static final class Waiting extends WaiterNode implements Future<Void> {
        private final CancellationToken token;
        private boolean done;

        Waiting(CancellationToken token) {
            this.token = token;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("cancelled() future polled after it completed or was cancelled");
            }
            if (token.cancelled) {
                return complete(cx);
            }
            Waker w = cx.waker();
            if (queued && w == waker) {
                return Poll.pending(); // racy read of queued is fine: a stale true only means we wait for the wake
            }
            synchronized (token.waiters) {
                if (!token.cancelled) {
                    waker = w;
                    if (!queued) {
                        token.waiters.addLast(this);
                    }
                    return Poll.pending();
                }
            }
            return complete(cx);
        }

        private Poll<Void> complete(Context cx) {
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            done = true;
            return Poll.ready(null);
        }

        @Override
        public void cancel() {
            done = true;
            if (queued) {
                synchronized (token.waiters) {
                    token.waiters.remove(this);
                }
            }
        }
    }
}
