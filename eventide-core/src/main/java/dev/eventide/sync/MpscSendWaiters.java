package dev.eventide.sync;

/**
 * The FIFO queue of senders waiting for capacity on a bounded {@link Mpsc} channel: an intrusive
 * doubly linked list of {@link MpscSend} futures, guarded by this object's lock.
 *
 * <p>Every method here must be called with the lock held (the caller passes through
 * {@link #lock()}); none of them wakes anyone. Unlinking is O(1), so a cancelled sender leaves
 * the queue at once.
 */
final class MpscSendWaiters extends ChannelLock {
    private MpscSend<?> head;
    private MpscSend<?> tail;

    boolean isEmpty() {
        return head == null;
    }

    void addLast(MpscSend<?> node) {
        node.prev = tail;
        node.next = null;
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
    }

    /** Removes and returns the oldest waiter, or null. */
    MpscSend<?> pollFirst() {
        MpscSend<?> node = head;
        if (node != null) {
            unlink(node);
        }
        return node;
    }

    /** Removes {@code node}, which must be in this queue. */
    void unlink(MpscSend<?> node) {
        MpscSend<?> p = node.prev;
        MpscSend<?> n = node.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        node.prev = null;
        node.next = null;
    }
}
