package dev.eventide.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bounded channel's buffer: a power-of-two ring of slots where null means "free".
 *
 * <p>A producer claims a position with one {@code getAndAdd} on {@code tail} and writes the slot
 * at that position; the consumer reads the slot at {@code head}, clears it and advances. No
 * sequence numbers are needed because the channel's capacity counter guarantees the claimed slot
 * is free: capacity is handed out only after the consumer cleared a slot, and the ring has at
 * least as many slots as the channel has capacity, so the number of claimed, unconsumed
 * positions never exceeds the ring (the consumer's clearing store happens-before the counter
 * update that lets a producer in, which happens-before that producer's claim).
 */
final class MpscArrayBuffer<T> extends MpscBuffer<T> {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle TAIL;

    private final Object[] slots;
    private final int mask;
    /** Next position to read; consumer only. */
    private long head;
    // keeps the producers' contended tail off the consumer's line
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07, p08;
    /** Next position to claim; producers, by getAndAdd. */
    private volatile long tail;

    MpscArrayBuffer(int capacity) {
        int size = Integer.highestOneBit(Math.max(1, capacity));
        if (size < capacity) {
            size <<= 1;
        }
        this.slots = new Object[size];
        this.mask = size - 1;
    }

    @Override
    void offer(T message) {
        long pos = (long) TAIL.getAndAdd(this, 1L);
        SLOTS.setVolatile(slots, (int) pos & mask, message);
    }

    @Override
    boolean peek() {
        return SLOTS.getAcquire(slots, (int) head & mask) != null;
    }

    @Override
    boolean peekVolatile() {
        return SLOTS.getVolatile(slots, (int) head & mask) != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    T take() {
        int i = (int) head & mask;
        T message = (T) SLOTS.getAcquire(slots, i);
        // a plain clear is enough: the capacity release that follows is a volatile CAS
        SLOTS.set(slots, i, (Object) null);
        head++;
        return message;
    }

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MpscArrayBuffer.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
