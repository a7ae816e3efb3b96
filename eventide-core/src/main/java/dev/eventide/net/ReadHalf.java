package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.io.AsyncRead;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The read half of a split {@link TcpStream} or {@link UnixStream}, for the one task that reads
 * while another writes through the {@link WriteHalf}.
 *
 * <p>Cancellation safety: as for {@link TcpStream#read}: a cancelled read loses no byte.
 */
public final class ReadHalf extends StreamHalf implements AsyncRead, AutoCloseable {
    ReadHalf(StreamCore core, SocketAddress peer) {
        super(core, peer);
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        return core.pollRead(cx, dst);
    }

    /** Reads what is available into {@code dst}: the count read, or -1 at end of stream. */
    @Override
    public Future<Integer> read(ByteBuffer dst) {
        return core.read(dst);
    }

    /** Reads until {@code dst} is full; fails with an {@code EOFException} cause at a premature end. */
    @Override
    public Future<Void> readExact(ByteBuffer dst) {
        return core.readExact(dst);
    }

    /**
     * Releases this half: shuts the input down and, if the write half is closed too, closes the
     * connection. Idempotent.
     */
    @Override
    public void close() {
        release();
    }

    @Override
    void shutdownHalf() {
        core.shutdownInput();
    }
}
