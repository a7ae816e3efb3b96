package dev.eventide.net;

import java.io.UncheckedIOException;
import java.net.SocketAddress;

/**
 * What the {@link ReadHalf} and the {@link WriteHalf} of a split stream share: the core, the
 * peer, and the close that shuts the half's own direction down and then releases its claim on
 * the connection (the second release closes it).
 */
abstract class StreamHalf {
    final StreamCore core;
    private final SocketAddress peer;
    private boolean closed;

    StreamHalf(StreamCore core, SocketAddress peer) {
        this.core = core;
        this.peer = peer;
    }

    /** The address of the peer. */
    public SocketAddress peerAddress() {
        return peer;
    }

    /** Shuts this half's direction of the connection down. */
    abstract void shutdownHalf();

    /** Shuts this half's direction down and releases the half, once. */
    final void release() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (core.isOpen()) {
                shutdownHalf();
            }
        } catch (UncheckedIOException e) {
            // The peer may have reset the connection already; closing must still release it.
        } finally {
            core.release();
        }
    }
}
