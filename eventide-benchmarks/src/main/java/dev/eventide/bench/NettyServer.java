package dev.eventide.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * W10 and W11 on Netty, written as Netty's own examples are: a {@link ServerBootstrap} on one
 * {@link MultiThreadIoEventLoopGroup} of {@code workers} event loops (NIO, or the native epoll
 * transport for {@code netty-epoll}), which both accepts and serves, so that the server has
 * exactly {@code workers} threads like every other system; Netty's default (pooling, direct)
 * buffer allocator; child options {@code TCP_NODELAY} and a fixed 16 KiB receive buffer
 * (WORKLOADS.md's read buffer).
 *
 * <ul>
 *   <li>W10: Netty's {@code EchoServerHandler}: {@code ctx.write(msg)} of the received
 *       {@code ByteBuf} in {@code channelRead}, {@code ctx.flush()} in
 *       {@code channelReadComplete}.</li>
 *   <li>W11: a {@link ByteToMessageDecoder} that frames request heads exactly as
 *       {@link HttpHeads} does (not netty-codec-http, which would parse far more, so that every
 *       system does the same work) and emits one marker per head; the next handler writes the
 *       78-byte response per marker ({@code duplicate()} of one unreleasable direct buffer) and
 *       flushes once per read in {@code channelReadComplete}, Netty's way of answering
 *       pipelined requests with one write.</li>
 *   <li>W11-codec, an extra row: Netty's own {@code HttpServerCodec} and its hello-world
 *       example's handler ({@link HelloCodec}), which parse far more than the spec asks
 *       (request line, every header, keep-alive) and write the same two headers in lower case
 *       ({@code content-length}, {@code content-type}); no {@code Date}.</li>
 * </ul>
 */
final class NettyServer implements NetServer {
    private static final System.Logger LOG = System.getLogger("dev.eventide.bench.net");
    /** The W11 response, shared by every connection and never released. */
    private static final ByteBuf RESPONSE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(HttpHeads.RESPONSE.length).writeBytes(HttpHeads.RESPONSE));
    /** What the decoder passes on for each complete request head. */
    private static final Object REQUEST = new Object();

    private final MultiThreadIoEventLoopGroup group;
    private final Channel server;

    private NettyServer(MultiThreadIoEventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    static NettyServer start(Protocol protocol, Sys sys, int workers, InetSocketAddress at) throws InterruptedException {
        MultiThreadIoEventLoopGroup group = Peers.netty(sys, workers);
        try {
            Class<? extends ServerChannel> channel = sys == Sys.NETTY_EPOLL
                    ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(HttpHeads.READ_BUFFER))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            switch (protocol) {
                                case ECHO -> ch.pipeline().addLast(Echo.INSTANCE);
                                case HTTP -> ch.pipeline().addLast(new HeadDecoder(), Hello.INSTANCE);
                                case HTTP_CODEC -> ch.pipeline().addLast(new HttpServerCodec(),
                                        new HttpServerExpectContinueHandler(), HelloCodec.INSTANCE);
                            }
                        }
                    })
                    .bind(at).sync().channel();
            return new NettyServer(group, server);
        } catch (InterruptedException | RuntimeException e) {
            Peers.close(group);
            throw e;
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        Peers.close(group);
    }

    /** W10: Netty's echo handler. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection ended: " + cause);
            ctx.close();
        }
    }

    /** W11's framing ({@link HttpHeads}'s loop over a {@code ByteBuf}): one {@link #REQUEST} per complete head. */
    private static final class HeadDecoder extends ByteToMessageDecoder {
        /** Bytes of the pending head already searched for the blank line. */
        private int scanned;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            for (;;) {
                int start = in.readerIndex();
                int limit = in.writerIndex();
                int end = -1;
                for (int i = start + scanned; i + 3 < limit; i++) {
                    if (in.getByte(i + 3) == '\n' && in.getByte(i) == '\r' && in.getByte(i + 1) == '\n'
                            && in.getByte(i + 2) == '\r') {
                        end = i + 4;
                        break;
                    }
                }
                if (end < 0) {
                    scanned = Math.max(0, limit - start - 3);
                    if (limit - start > HttpHeads.MAX_HEAD) {
                        tooLong(ctx, in);
                    }
                    return;
                }
                if (end - start > HttpHeads.MAX_HEAD) {
                    tooLong(ctx, in);
                    return;
                }
                in.readerIndex(end);
                scanned = 0;
                out.add(REQUEST);
            }
        }

        private static void tooLong(ChannelHandlerContext ctx, ByteBuf in) {
            in.skipBytes(in.readableBytes());
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection ended: " + cause);
            ctx.close();
        }
    }

    /**
     * The extra W11 row: Netty's {@code HttpHelloWorldServerHandler} example, answering every
     * {@link HttpRequest} with a {@link DefaultFullHttpResponse} (the same two headers, which
     * Netty writes with lower-case names) and honouring keep-alive; one flush per read.
     */
    @ChannelHandler.Sharable
    private static final class HelloCodec extends SimpleChannelInboundHandler<HttpObject> {
        static final HelloCodec INSTANCE = new HelloCodec();
        private static final byte[] CONTENT = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest req)) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            FullHttpResponse response = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(CONTENT));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, CONTENT.length)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            if (keepAlive) {
                if (!req.protocolVersion().isKeepAliveDefault()) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.write(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection ended: " + cause);
            ctx.close();
        }
    }

    /** W11's responder: one response per request head, one flush per read. */
    @ChannelHandler.Sharable
    private static final class Hello extends ChannelInboundHandlerAdapter {
        static final Hello INSTANCE = new Hello();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(RESPONSE.duplicate());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
