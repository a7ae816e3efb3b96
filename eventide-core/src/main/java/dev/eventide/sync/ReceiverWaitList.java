package dev.eventide.sync;

import dev.eventide.Waker;

/**
 * The receivers of a {@link Broadcast} or a {@link Watch} waiting for the next message or
 * change: an intrusive FIFO list, so a waiting receiver is its own node (waiting allocates
 * nothing) and a cancelled wait unlinks in O(1). Guarded by the owning channel's lock: wakers are
 * detached under it and woken after it is released, so no lock is held while waking.
 */
final class ReceiverWaitList {
    /** A receiver that can wait: its waker and its links, guarded by the channel's lock. */
    abstract static class Node {
        boolean queued;
        Waker waker;
        private Node prev;
        private Node next;
    }

    private Node head;
    private Node tail;
    private int size;

    /** Appends {@code n}, which must not be queued. */
    void enqueue(Node n) {
        n.queued = true;
        n.prev = tail;
        n.next = null;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        size++;
    }

    /** Removes {@code n} if it is queued. */
    void unlink(Node n) {
        if (!n.queued) {
            return;
        }
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = null;
        n.next = null;
        n.queued = false;
        size--;
    }

    /** Unlinks every waiting receiver and returns their wakers, in order; null if none. */
    Waker[] detachAll() {
        if (head == null) {
            return null;
        }
        Waker[] ws = new Waker[size];
        int k = 0;
        for (Node n = head; n != null; ) {
            Node next = n.next;
            ws[k++] = n.waker;
            n.queued = false;
            n.prev = null;
            n.next = null;
            n = next;
        }
        head = null;
        tail = null;
        size = 0;
        return ws;
    }

    /** Wakes what {@link #detachAll()} returned; call it after releasing the lock. */
    static void wakeAll(Waker[] ws) {
        if (ws != null) {
            for (Waker w : ws) {
                w.wake();
            }
        }
    }
}
