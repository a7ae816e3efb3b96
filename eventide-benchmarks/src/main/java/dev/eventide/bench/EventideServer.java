package dev.eventide.bench;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.io.AsyncRead;
import dev.eventide.net.TcpListener;
import dev.eventide.net.TcpStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * W10 and W11 on Eventide: a {@link TcpListener} whose accept loop is one task, and one task per
 * connection, written either as an async block ({@code read(..).await()}, {@code writeAll(..).await()},
 * the same code as the example {@code echo-server}) or as a poll-based {@link Future} state
 * machine over {@code pollRead}/{@code pollWrite} (the {@code eventide-poll} system).
 */
final class EventideServer implements NetServer {
    private static final System.Logger LOG = System.getLogger("dev.eventide.bench.net");

    private final Eventide rt;
    private final TcpListener listener;
    private final JoinHandle<Void> acceptor;

    private EventideServer(Eventide rt, TcpListener listener, JoinHandle<Void> acceptor) {
        this.rt = rt;
        this.listener = listener;
        this.acceptor = acceptor;
    }

    static EventideServer start(Protocol protocol, int workers, InetSocketAddress at, boolean poll) throws Exception {
        Eventide rt = Peers.eventide(workers);
        try {
            TcpListener listener = rt.blockOn(() -> TcpListener.bind(at, 1024));
            JoinHandle<Void> acceptor = rt.handle().spawn((Runnable) () -> {
                for (;;) {
                    TcpStream conn = listener.accept().await();
                    if (poll) {
                        Eventide.spawn(protocol == Protocol.ECHO ? new PollEcho(conn) : new PollHttp(conn));
                    } else if (protocol == Protocol.ECHO) {
                        Eventide.spawn(() -> echo(conn));
                    } else {
                        Eventide.spawn(() -> http(conn));
                    }
                }
            });
            return new EventideServer(rt, listener, acceptor);
        } catch (Exception | Error e) {
            Peers.close(rt);
            throw e;
        }
    }

    @Override
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    @Override
    public void close() {
        acceptor.abort();
        listener.close();
        Peers.close(rt);
    }

    /** W10 as an async block. */
    static void echo(TcpStream conn) {
        try (conn) {
            conn.setNoDelay(true);
            ByteBuffer buf = ByteBuffer.allocateDirect(HttpHeads.READ_BUFFER);
            for (;;) {
                buf.clear();
                if (conn.read(buf).await() < 0) {
                    return;
                }
                buf.flip();
                conn.writeAll(buf).await();
            }
        } catch (UncheckedIOException e) {
            ended(conn, e);
        }
    }

    /** W11 as an async block. */
    static void http(TcpStream conn) {
        try (conn) {
            conn.setNoDelay(true);
            // room for a pending head of up to 16 KiB plus a 16 KiB read
            ByteBuffer in = ByteBuffer.allocateDirect(HttpHeads.MAX_HEAD + HttpHeads.READ_BUFFER);
            ByteBuffer out = HttpHeads.responseBuffer(true);
            HttpHeads heads = new HttpHeads();
            for (;;) {
                if (conn.read(in).await() < 0) {
                    return;
                }
                in.flip();
                int n = heads.consume(in);
                if (n == HttpHeads.TOO_LONG) {
                    return;
                }
                while (n > 0) {
                    n -= HttpHeads.putResponses(out, n);
                    conn.writeAll(out.flip()).await();
                    out.clear();
                }
                in.compact();
            }
        } catch (UncheckedIOException e) {
            ended(conn, e);
        }
    }

    /** A peer that resets is routine for a server under load: note it and drop the connection. */
    private static void ended(TcpStream conn, UncheckedIOException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "connection " + conn.peerAddress() + " ended: " + e.getMessage());
    }

    /** What a poll-based connection does after a read. */
    private enum AfterRead { READ_AGAIN, WRITE, CLOSE }

    /**
     * The poll-based connection, written once for both protocols: read (end of stream closes the
     * connection), let the protocol handle what was read, then write its buffer until drained,
     * as often as the protocol refills it, and read again. A reset closes the connection.
     * The server runs one protocol per process, so the protocol's hooks stay monomorphic.
     */
    private abstract static class PollConnection implements Future<Void> {
        final TcpStream conn;
        private boolean writing;

        PollConnection(TcpStream conn) {
            this.conn = conn;
            conn.setNoDelay(true);
        }

        /** The buffer the next read fills. */
        abstract ByteBuffer readBuffer();

        /** A read put bytes into {@link #readBuffer()}: handles them and says what comes next. */
        abstract AfterRead afterRead();

        /** The buffer to write, in read mode. */
        abstract ByteBuffer writeBuffer();

        /** {@link #writeBuffer()} is drained: whether it was refilled with more to write. */
        abstract boolean refilled();

        @Override
        public final Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    if (!writing) {
                        int n = conn.pollRead(cx, readBuffer());
                        if (n == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                        if (n == AsyncRead.EOF) {
                            conn.close();
                            return Poll.ready(null);
                        }
                        AfterRead next = afterRead();
                        if (next == AfterRead.CLOSE) {
                            conn.close();
                            return Poll.ready(null);
                        }
                        if (next == AfterRead.READ_AGAIN) {
                            continue;
                        }
                        writing = true;
                    }
                    ByteBuffer out = writeBuffer();
                    while (out.hasRemaining()) {
                        if (conn.pollWrite(cx, out) == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                    }
                    writing = refilled();
                }
            } catch (UncheckedIOException e) {
                ended(conn, e);
                conn.close();
                return Poll.ready(null);
            }
        }

        /** Cancellation (the runtime shutting down) closes the connection; nothing else is held. */
        @Override
        public final void cancel() {
            conn.close();
        }
    }

    /** W10 as a state machine: read, then write until the buffer is drained, repeat. */
    private static final class PollEcho extends PollConnection {
        private final ByteBuffer buf = ByteBuffer.allocateDirect(HttpHeads.READ_BUFFER);

        PollEcho(TcpStream conn) {
            super(conn);
        }

        @Override
        ByteBuffer readBuffer() {
            return buf.clear();
        }

        @Override
        AfterRead afterRead() {
            buf.flip();
            return AfterRead.WRITE;
        }

        @Override
        ByteBuffer writeBuffer() {
            return buf;
        }

        @Override
        boolean refilled() {
            return false;
        }
    }

    /** W11 as a state machine: read and frame, then write the responses of that read, repeat. */
    private static final class PollHttp extends PollConnection {
        private final HttpExchange http = new HttpExchange();

        PollHttp(TcpStream conn) {
            super(conn);
        }

        @Override
        ByteBuffer readBuffer() {
            return http.in;
        }

        @Override
        AfterRead afterRead() {
            int framed = http.frame();
            if (framed == HttpHeads.TOO_LONG) {
                return AfterRead.CLOSE;
            }
            return framed == 0 ? AfterRead.READ_AGAIN : AfterRead.WRITE;
        }

        @Override
        ByteBuffer writeBuffer() {
            return http.out;
        }

        @Override
        boolean refilled() {
            return http.putOwed();
        }
    }
}
