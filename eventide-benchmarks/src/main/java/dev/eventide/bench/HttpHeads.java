package dev.eventide.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * W11's request framing, shared by every server that reads into a {@link ByteBuffer} (Eventide,
 * the JDK's asynchronous channels, virtual threads), so that all of them do the same work:
 * each blank line ({@code \r\n\r\n}) ends one request head, whatever the request line; the bytes
 * after the last complete head wait for the next read; a head longer than {@link #MAX_HEAD}
 * closes the connection. Netty's decoder ({@link NettyServer}) is the same loop over a
 * {@code ByteBuf}.
 *
 * <p>One instance per connection: it remembers how far the pending head has been searched, so a
 * head that arrives in many reads is not searched from its start every time.
 */
final class HttpHeads {
    /** The response to every request: exactly the 78 bytes of W11. */
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\n"
            + "Hello, World!").getBytes(StandardCharsets.US_ASCII);
    /** The longest request head accepted (16 KiB); a longer one closes the connection. */
    static final int MAX_HEAD = 16 * 1024;
    /** The read buffer of every W10 and W11 server (16 KiB, as WORKLOADS.md's W10 says). */
    static final int READ_BUFFER = 16 * 1024;
    /** {@link #consume}'s answer when the pending head is longer than {@link #MAX_HEAD}. */
    static final int TOO_LONG = -1;

    /** Bytes of the pending head (from the buffer's position) already searched for the blank line. */
    private int scanned;

    /**
     * Takes the complete heads off {@code in} (in read mode: position to limit are the bytes not
     * yet framed) and counts them; afterwards {@code in}'s position is at the start of the
     * pending partial head, if any.
     *
     * @return the number of complete heads, or {@link #TOO_LONG} if a head exceeds {@link #MAX_HEAD}
     */
    int consume(ByteBuffer in) {
        int heads = 0;
        for (;;) {
            int start = in.position();
            int end = headEnd(in, start + scanned);
            if (end < 0) {
                // keep the partial head; next time search from where this search stopped, less a
                // possible partial "\r\n\r" at the end
                scanned = Math.max(0, in.limit() - start - 3);
                return scanned + 3 > MAX_HEAD ? TOO_LONG : heads;
            }
            if (end - start > MAX_HEAD) {
                return TOO_LONG;
            }
            in.position(end);
            scanned = 0;
            heads++;
        }
    }

    /** The index just past the first {@code \r\n\r\n} at or after {@code from}, or -1. */
    private static int headEnd(ByteBuffer in, int from) {
        int limit = in.limit();
        for (int i = from; i + 3 < limit; i++) {
            if (in.get(i + 3) == '\n' && in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r') {
                return i + 4;
            }
        }
        return -1;
    }

    /**
     * Puts as many of {@code count} responses into {@code out} as fit and returns how many did:
     * the caller writes {@code out} and calls again for the rest (only a client pipelining more
     * than {@code out}'s capacity / 78 requests in one read needs a second write).
     */
    static int putResponses(ByteBuffer out, int count) {
        int n = Math.min(count, out.remaining() / RESPONSE.length);
        for (int i = 0; i < n; i++) {
            out.put(RESPONSE);
        }
        return n;
    }

    /** A response buffer for one connection: room for 210 responses, what 16 KiB of minimal heads may ask for at once. */
    static ByteBuffer responseBuffer(boolean direct) {
        int size = (READ_BUFFER / RESPONSE.length) * RESPONSE.length;
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }
}
