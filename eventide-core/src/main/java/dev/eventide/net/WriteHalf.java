package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.io.AsyncWrite;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The write half of a split {@link TcpStream} or {@link UnixStream}, for the one task that writes
 * while another reads through the {@link ReadHalf}.
 *
 * <p>Cancellation safety: a cancelled {@code writeAll} may have sent part of its buffer; the
 * buffer's position says how much.
 */
public final class WriteHalf implements AsyncWrite, AutoCloseable {
    private final StreamCore core;
    private final SocketAddress peer;
    private boolean closed;

    WriteHalf(StreamCore core, SocketAddress peer) {
        this.core = core;
        this.peer = peer;
    }

    @Override
    public int pollWrite(Context cx, ByteBuffer src) {
        return core.pollWrite(cx, src);
    }

    /** Sends end of stream (FIN) to the peer; the read half stays usable. */
    @Override
    public boolean pollShutdown(Context cx) {
        core.shutdownOutput();
        return true;
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        return new StreamCore.Write(core, src);
    }

    @Override
    public Future<Void> writeAll(ByteBuffer src) {
        return new StreamCore.WriteAll(core, src);
    }

    /** Sends end of stream (FIN) to the peer at once; later writes fail. */
    public void shutdownOutput() {
        core.shutdownOutput();
    }

    /** The address of the peer. */
    public SocketAddress peerAddress() {
        return peer;
    }

    /**
     * Releases this half: sends end of stream and, if the read half is closed too, closes the
     * connection. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (core.isOpen()) {
                core.shutdownOutput();
            }
        } catch (java.io.UncheckedIOException e) {
            // The peer may have reset the connection already; closing must still release it.
        } finally {
            core.release();
        }
    }
}
