package dev.eventide.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * W10 and W11 on the JDK's own asynchronous answer: {@link AsynchronousServerSocketChannel} and
 * {@link AsynchronousSocketChannel} with {@link CompletionHandler}s, in an
 * {@link AsynchronousChannelGroup} built with {@code withThreadPool} over the harness's
 * {@code ForkJoinPool} ({@link Peers#forkJoinPool}, {@code workers} threads, async mode). The
 * completion handlers run on that pool; the group adds one internal thread of its own that
 * waits in {@code epoll_wait} and hands completions to the pool (the JDK's design for a group
 * over a pool it does not own; {@code sun.nio.ch.internalThreadPoolSize}, default 1).
 *
 * <p>Each connection is one chain of handlers: a read completes into the write of what it read,
 * the write's completion starts the next read; there is never more than one operation pending
 * per connection, as the channel requires.
 */
final class AsyncChannelServer implements NetServer {
    private static final System.Logger LOG = System.getLogger("dev.eventide.bench.net");

    private final AsynchronousChannelGroup group;
    private final AsynchronousServerSocketChannel server;
    private final InetSocketAddress address;

    private AsyncChannelServer(AsynchronousChannelGroup group, AsynchronousServerSocketChannel server)
            throws IOException {
        this.group = group;
        this.server = server;
        this.address = (InetSocketAddress) server.getLocalAddress();
    }

    static AsyncChannelServer start(Protocol protocol, int workers, InetSocketAddress at) throws IOException {
        ForkJoinPool pool = Peers.forkJoinPool(workers);
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withThreadPool(pool);
        try {
            AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group).bind(at, 1024);
            server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
                @Override
                public void completed(AsynchronousSocketChannel ch, Void unused) {
                    server.accept(null, this);
                    try {
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    } catch (IOException e) {
                        closeQuietly(ch, e);
                        return;
                    }
                    if (protocol == Protocol.ECHO) {
                        new Echo(ch).read();
                    } else {
                        new Http(ch).read();
                    }
                }

                @Override
                public void failed(Throwable t, Void unused) {
                    if (server.isOpen()) {
                        LOG.log(System.Logger.Level.WARNING, "accept failed; the server stops accepting", t);
                    }
                }
            });
            return new AsyncChannelServer(group, server);
        } catch (IOException | RuntimeException e) {
            group.shutdownNow();
            throw e;
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        // closes every channel of the group and shuts the pool down
        group.shutdownNow();
        group.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A connection that ended (end of stream, a reset, the group shutting down): close it. */
    private static void closeQuietly(AsynchronousSocketChannel ch, Throwable why) {
        if (why != null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection ended: " + why);
        }
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing a connection failed: " + e);
        }
    }

    /**
     * One connection's chain of handlers, written once for both protocols: a read completes into
     * {@link #afterRead()} (end of stream closes the connection), a write continues until its
     * buffer is empty and then completes into {@link #afterWrite()}, and a failure of either
     * closes the connection. The two handlers are made once per connection.
     */
    private abstract static class Connection {
        final AsynchronousSocketChannel ch;
        private final CompletionHandler<Integer, Void> onRead = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void unused) {
                if (n < 0) {
                    closeQuietly(ch, null);
                    return;
                }
                afterRead();
            }

            @Override
            public void failed(Throwable t, Void unused) {
                closeQuietly(ch, t);
            }
        };
        private final CompletionHandler<Integer, ByteBuffer> onWrite = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, ByteBuffer src) {
                if (src.hasRemaining()) {
                    ch.write(src, src, this);
                } else {
                    afterWrite();
                }
            }

            @Override
            public void failed(Throwable t, ByteBuffer src) {
                closeQuietly(ch, t);
            }
        };

        Connection(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        /** Starts the connection's next read. */
        abstract void read();

        /** A read put bytes into the buffer: handle them. */
        abstract void afterRead();

        /** A write has sent all of its buffer. */
        abstract void afterWrite();

        final void read(ByteBuffer dst) {
            ch.read(dst, null, onRead);
        }

        final void writeAll(ByteBuffer src) {
            ch.write(src, src, onWrite);
        }
    }

    /** W10's connection: read into the 16 KiB buffer, write it all back, read again. */
    private static final class Echo extends Connection {
        private final ByteBuffer buf = ByteBuffer.allocateDirect(HttpHeads.READ_BUFFER);

        Echo(AsynchronousSocketChannel ch) {
            super(ch);
        }

        @Override
        void read() {
            buf.clear();
            read(buf);
        }

        @Override
        void afterRead() {
            buf.flip();
            writeAll(buf);
        }

        @Override
        void afterWrite() {
            read();
        }
    }

    /** W11's connection: read and frame; write the responses of that read; read again. */
    private static final class Http extends Connection {
        private final HttpExchange http = new HttpExchange();

        Http(AsynchronousSocketChannel ch) {
            super(ch);
        }

        @Override
        void read() {
            read(http.in);
        }

        @Override
        void afterRead() {
            int framed = http.frame();
            if (framed == HttpHeads.TOO_LONG) {
                closeQuietly(ch, null);
            } else if (framed == 0) {
                read();
            } else {
                writeAll(http.out);
            }
        }

        @Override
        void afterWrite() {
            if (http.putOwed()) {
                writeAll(http.out);
            } else {
                read();
            }
        }
    }
}
