package dev.eventide.bench;

import java.nio.ByteBuffer;

/**
 * One W11 connection's buffers and owed responses between a read and the writes it calls for,
 * for the servers whose connection is a chain of callbacks rather than a loop in one thread
 * ({@link AsyncChannelServer}'s completion handlers, {@link EventideServer}'s poll-based state
 * machine): after a read into {@link #in}, {@link #frame()} takes the complete heads off it and
 * puts the first batch of responses into {@link #out}; once {@code out} is written,
 * {@link #putOwed()} puts the next batch, if any.
 */
final class HttpExchange {
    /** The read buffer: room for a pending head of up to 16 KiB plus a 16 KiB read. */
    final ByteBuffer in = ByteBuffer.allocateDirect(HttpHeads.MAX_HEAD + HttpHeads.READ_BUFFER);
    /** The responses to write, in read mode once {@link #frame()} or {@link #putOwed()} filled it. */
    final ByteBuffer out = HttpHeads.responseBuffer(true);
    private final HttpHeads heads = new HttpHeads();
    /** Responses framed but not yet put into {@code out}. */
    private int owed;

    /**
     * After a read into {@link #in}: frames the complete heads, keeping a partial one for the next
     * read, and if there are any, puts the first batch of their responses into {@link #out}.
     *
     * @return the number of heads framed (0: read again), or {@link HttpHeads#TOO_LONG} (close)
     */
    int frame() {
        in.flip();
        int n = heads.consume(in);
        in.compact();
        owed = n;
        if (n > 0) {
            putOwed();
        }
        return n;
    }

    /** After {@link #out} was written: puts the next batch of owed responses into it; false if none is owed. */
    boolean putOwed() {
        if (owed <= 0) {
            return false;
        }
        out.clear();
        owed -= HttpHeads.putResponses(out, owed);
        out.flip();
        return true;
    }
}
