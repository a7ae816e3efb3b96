package dev.eventide.sync;

/**
 * An intrusive, doubly-linked FIFO of {@link WaiterNode}s: the waiter queue of every primitive in
 * this package.
 *
 * <p>Not thread-safe: the owning primitive guards it with a short lock, and the lock is held only
 * to link, unlink and hand out permits or notifications, never while waking (see
 * {@link WakeList}). Because each waiter future is its own node, a cancelled waiter unlinks itself
 * in O(1) and enqueueing allocates nothing.
 */
final class WaiterQueue {
    private WaiterNode head;
    private WaiterNode tail;

    boolean isEmpty() {
        return head == null;
    }

    WaiterNode peekFirst() {
        return head;
    }

    void addLast(WaiterNode n) {
        n.prev = tail;
        n.next = null;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        n.queued = true;
    }

    /** Removes and returns the first node, or null if the queue is empty. */
    WaiterNode pollFirst() {
        WaiterNode n = head;
        if (n != null) {
            remove(n);
        }
        return n;
    }

    /** Unlinks {@code n}; returns false if it was not queued. */
    boolean remove(WaiterNode n) {
        if (!n.queued) {
            return false;
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
        return true;
    }
}
