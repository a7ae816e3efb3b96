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
public final class WriteHalf extends StreamHalf implements AsyncWrite, AutoCloseable {
    WriteHalf(StreamCore core, SocketAddress peer) {
        super(core, peer);
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
        return core.write(src);
    }

    @Override
    public Future<Void> writeAll(ByteBuffer src) {
        return core.writeAll(src);
    }

    /** Sends end of stream (FIN) to the peer at once; later writes fail. */
    public void shutdownOutput() {
        core.shutdownOutput();
    }

    /**
     * Releases this half: sends end of stream and, if the read half is closed too, closes the
     * connection. Idempotent.
     */
    @Override
    public void close() {
        release();
    }

    @Override
    void shutdownHalf() {
        core.shutdownOutput();
    }
}
