package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;

/**
 * Wakes one waiting task, or all of them, without carrying data: the building block for
 * hand-written wait/notify protocols between tasks.
 *
 * <pre>{@code
 * Notify ready = new Notify();
 * Eventide.spawn(() -> { ready.notified().await(); System.out.println("go"); });
 * ready.notifyOne();
 * }</pre>
 *
 * <h2>Semantics (as tokio's {@code Notify})</h2>
 * <ul>
 *   <li>{@link #notifyOne()} wakes the task that has waited longest. If nobody waits, it stores
 *       one <em>permit</em> instead, and the next {@link #notified()} completes at once, so a
 *       notification sent just before the receiver starts waiting is not lost. Permits do not
 *       accumulate: at most one is stored.</li>
 *   <li>{@link #notifyWaiters()} wakes every waiter, and every {@code notified()} future created
 *       before the call even if it had not been polled yet; it stores no permit.</li>
 * </ul>
 *
 * <h2>Cancellation safety</h2>
 * {@link #notified()} is cancel-safe: a cancelled wait leaves the queue at once; if a
 * {@code notifyOne} had already chosen it, the notification is passed on to the next waiter (or
 * stored as the permit), so it is never lost.
 *
 * <h2>Implementation overview</h2>
 * One short lock (the queue's monitor) guards the queue, the permit and the
 * {@code notifyWaiters} epoch; wakers are woken after it is dropped. Waiting futures are the
 * queue's nodes; a re-poll with an unchanged waker reads only a volatile field.
 */
public final class Notify {
    private final WaiterQueue waiters = new WaiterQueue();
    /** A stored notifyOne; written under the lock, read without it on the fast path. */
    private volatile boolean permit;
    /** Number of notifyWaiters calls; written under the lock. */
    private volatile int epoch;

    /** A notifier with no stored permit. */
    public Notify() {
    }

    /**
     * A future that completes when this waiter is notified (or at once, consuming the stored
     * permit); see the class documentation. Cancel-safe.
     */
    public Future<Void> notified() {
        return new Notified(this, epoch);
    }

    /** Wakes the longest waiter, or stores the permit if nobody waits. */
    public void notifyOne() {
        WakeList wake = new WakeList();
        synchronized (waiters) {
            notifyOneLocked(waiters, wake);
        }
        wake.wakeAll();
    }

    private void notifyOneLocked(WaiterQueue locked, WakeList wake) {
        Notified w = (Notified) locked.pollFirst();
        if (w == null) {
            permit = true;
        } else {
            w.notification = Notified.ONE;
            wake.add(w);
        }
    }

    /** Wakes every current waiter (and unpolled futures created before this call). */
    public void notifyWaiters() {
        WakeList wake = new WakeList();
        synchronized (waiters) {
            epoch = epoch + 1;
            for (WaiterNode n; (n = waiters.pollFirst()) != null; ) {
                ((Notified) n).notification = Notified.ALL;
                wake.add(n);
            }
        }
        wake.wakeAll();
    }

    @Override
    public String toString() {
        return "Notify[" + (permit ? "permit stored" : "no permit") + "]";
    }

    /** The future of {@link #notified()}, and its waiter node. */
    private static final class Notified extends WaiterNode implements Future<Void> {
        static final int NONE = 0;
        static final int ONE = 1;
        static final int ALL = 2;
        private static final int NEW = 0;
        private static final int WAITING = 1;
        private static final int DONE = 2;

        private final Notify notify;
        private final int createdEpoch;
        /** How this waiter was notified; written under the lock. */
        volatile int notification = NONE;
        private int phase = NEW;

        Notified(Notify notify, int createdEpoch) {
            this.notify = notify;
            this.createdEpoch = createdEpoch;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (phase == DONE) {
                throw new IllegalStateException("notified() future polled after it completed or was cancelled");
            }
            if (phase == NEW) {
                if (!Coop.proceed(cx)) {
                    return Poll.pending(); // not queued yet: the next poll starts over
                }
                synchronized (notify.waiters) {
                    if (notify.epoch != createdEpoch) {
                        return done();
                    }
                    if (notify.permit) {
                        notify.permit = false;
                        return done();
                    }
                    waker = cx.waker();
                    notify.waiters.addLast(this);
                }
                phase = WAITING;
                return Poll.pending();
            }
            if (notification != NONE) {
                return Coop.proceed(cx) ? done() : Poll.pending();
            }
            Waker w = cx.waker();
            if (w != waker) {
                synchronized (notify.waiters) {
                    if (notification == NONE) {
                        waker = w;
                        return Poll.pending();
                    }
                }
                return Coop.proceed(cx) ? done() : Poll.pending();
            }
            return Poll.pending();
        }

        private Poll<Void> done() {
            phase = DONE;
            return Poll.ready(null);
        }

        @Override
        public void cancel() {
            if (phase != WAITING) {
                phase = DONE;
                return;
            }
            phase = DONE;
            WakeList wake = new WakeList();
            synchronized (notify.waiters) {
                if (!notify.waiters.remove(this) && notification == ONE) {
                    // Chosen by notifyOne but never observed: pass the notification on.
                    notify.notifyOneLocked(notify.waiters, wake);
                }
            }
            wake.wakeAll();
        }
    }
}
