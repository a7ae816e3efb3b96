package dev.eventide.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The unbounded channel's buffer: a linked list of fixed-size chunks, so a message costs a slot,
 * not a node, and a chunk is allocated once per {@value #CHUNK} messages.
 *
 * <p>A producer claims a global position with one {@code getAndAdd} on {@code tail}, then walks
 * from the {@code tailChunk} it read <em>before</em> claiming (which therefore cannot be past its
 * own chunk) to the chunk holding the position, linking new chunks with a CAS when they are
 * missing (a producer that loses the race drops its chunk). The consumer follows {@code next}
 * links; a link not yet made means the producer of the head position has not finished, and its
 * write will wake the receiver. Passed chunks are left to the garbage collector.
 */
final class MpscChunkedBuffer<T> extends MpscBuffer<T> {
    static final int CHUNK = 64;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle TAIL;
    private static final VarHandle TAIL_CHUNK;
    private static final VarHandle NEXT;

    /** A run of {@value #CHUNK} positions starting at {@code index * CHUNK}. */
    static final class Chunk {
        final long index;
        final Object[] slots = new Object[CHUNK];
        volatile Chunk next;

        Chunk(long index) {
            this.index = index;
        }
    }

    /** Consumer only. */
    private Chunk headChunk;
    private long head;
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07, p08;
    private volatile long tail;
    /** A chunk at or before the one holding {@code tail}; producers advance it. */
    private volatile Chunk tailChunk;

    MpscChunkedBuffer() {
        Chunk first = new Chunk(0);
        headChunk = first;
        tailChunk = first;
    }

    @Override
    void offer(T message) {
        Chunk start = tailChunk;
        long pos = (long) TAIL.getAndAdd(this, 1L);
        long target = pos / CHUNK;
        Chunk c = start;
        while (c.index < target) {
            Chunk next = c.next;
            if (next == null) {
                Chunk fresh = new Chunk(c.index + 1);
                next = NEXT.compareAndSet(c, (Chunk) null, fresh) ? fresh : c.next;
            }
            c = next;
        }
        if (c != start) {
            // best effort; a failure means someone advanced it at least as far
            TAIL_CHUNK.compareAndSet(this, start, c);
        }
        SLOTS.setVolatile(c.slots, (int) (pos % CHUNK), message);
    }

    @Override
    boolean peek() {
        Chunk c = headChunkForHead();
        return c != null && SLOTS.getAcquire(c.slots, (int) (head % CHUNK)) != null;
    }

    @Override
    boolean peekVolatile() {
        Chunk c = headChunkForHead();
        return c != null && SLOTS.getVolatile(c.slots, (int) (head % CHUNK)) != null;
    }

    /** The chunk holding {@code head}, moving onto it if linked; null if not linked yet. */
    private Chunk headChunkForHead() {
        Chunk c = headChunk;
        if (head % CHUNK == 0 && c.index != head / CHUNK) {
            Chunk next = c.next;
            if (next == null) {
                return null;
            }
            headChunk = c = next;
        }
        return c;
    }

    @Override
    @SuppressWarnings("unchecked")
    T take() {
        Chunk c = headChunk; // peek() moved it onto the head's chunk
        int i = (int) (head % CHUNK);
        T message = (T) SLOTS.getAcquire(c.slots, i);
        SLOTS.set(c.slots, i, (Object) null);
        head++;
        return message;
    }

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(MpscChunkedBuffer.class, "tail", long.class);
            TAIL_CHUNK = l.findVarHandle(MpscChunkedBuffer.class, "tailChunk", Chunk.class);
            NEXT = l.findVarHandle(Chunk.class, "next", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
