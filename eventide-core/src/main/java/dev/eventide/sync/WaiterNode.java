package dev.eventide.sync;

import dev.eventide.Waker;

/**
 * A link of a {@link WaiterQueue}: the waiter future itself, so queueing allocates nothing.
 *
 * <p>All fields are guarded by the lock of the primitive that owns the queue, with one
 * exception: {@link #waker} is written only by the task that polls the waiter (under the lock),
 * so that task may read it without the lock to see whether its waker changed.
 */
abstract class WaiterNode {
    WaiterNode prev;
    WaiterNode next;
    /** Whether the node is linked into a queue. */
    boolean queued;
    /** The waker of the latest poll; replaced only when the poll's waker differs. */
    Waker waker;
    /** The next node of a {@link WakeList}; set while the node is being woken. */
    WaiterNode wakeNext;
    /** The waker captured under the lock for a {@link WakeList}, woken after the lock is dropped. */
    Waker wakeTarget;
}
