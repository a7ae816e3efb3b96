package dev.eventide.sync;

/**
 * The receivers of one {@link Broadcast} or {@link Watch}, as the channel keeps them, written
 * once: the ones waiting for the next message or change, and how many are open (a send that
 * needs a reader fails when none is). Both are guarded by the channel's lock, which this holds so
 * that a {@link WaitingReceiver} reaches everything it needs through its group, and so that
 * closing a receiver counts it out in one place for both channels.
 */
final class ReceiverGroup {
    /** The channel's lock: it guards this group and the channel's own state alike. */
    final ChannelLock lock;
    /** The receivers waiting for the next message or change; guarded by {@link #lock}. */
    final ReceiverWaitList waiters = new ReceiverWaitList();
    private int open = 1; // the channel's first receiver; guarded by lock

    ReceiverGroup(ChannelLock lock) {
        this.lock = lock;
    }

    /** The number of open receivers; takes the lock. */
    int count() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the number of open receivers. */
    int openLocked() {
        return open;
    }

    /** Under the lock: counts in a receiver about to be made. */
    void addLocked() {
        open++;
    }

    /** Under the lock, once per receiver: counts a closed receiver out. */
    void removeLocked() {
        open--;
    }
}
