package dev.eventide.sync;

import dev.eventide.Waker;

/**
 * Wakers collected under a primitive's lock and woken after it is dropped, so no lock is held
 * while waking (a wake may run arbitrary code, and waking under the lock would make the woken
 * task contend for it at once).
 *
 * <p>The list threads through the nodes themselves ({@link WaiterNode#wakeNext}), so it
 * allocates nothing beyond itself, which escape analysis usually removes. A node is added at most
 * once per wake: only when it completes (is granted its permits or notification), which happens
 * once. Wakers are woken in the order added (FIFO).
 */
final class WakeList {
    private WaiterNode first;
    private WaiterNode last;

    /** Captures {@code n}'s current waker; call with the owner's lock held. */
    void add(WaiterNode n) {
        n.wakeTarget = n.waker;
        n.wakeNext = null;
        if (last == null) {
            first = n;
        } else {
            last.wakeNext = n;
        }
        last = n;
    }

    /** Wakes every captured waker; call after the lock is dropped. */
    void wakeAll() {
        WaiterNode n = first;
        first = null;
        last = null;
        while (n != null) {
            WaiterNode next = n.wakeNext;
            Waker w = n.wakeTarget;
            n.wakeNext = null;
            n.wakeTarget = null;
            if (w != null) {
                w.wake();
            }
            n = next;
        }
    }
}
