package dev.eventide.bench;

import java.net.InetSocketAddress;

/**
 * A W10 or W11 server of one system, listening on 127.0.0.1, with the harness's worker count.
 * The harness runs each in its own JVM ({@link ServerProcess}); tests start them in-process.
 *
 * <p>Every system does the same work, each the way its own documentation recommends:
 * <ul>
 *   <li>W10 ({@link Protocol#ECHO}): for each accepted connection, set {@code TCP_NODELAY},
 *       then read whatever is available into a 16 KiB buffer and write all of it back, until end
 *       of stream or an error; then close. One task (virtual thread, channel) per connection.</li>
 *   <li>W11 ({@link Protocol#HTTP}): accumulate what is read; each {@code \r\n\r\n} ends a
 *       request head; one 78-byte response per head, the responses of one read in one write
 *       ({@link HttpHeads}); a head longer than 16 KiB closes the connection.</li>
 * </ul>
 */
interface NetServer extends AutoCloseable {
    /** What the server speaks. */
    enum Protocol {
        /** W10: TCP echo. */
        ECHO,
        /** W11: HTTP/1.1 plaintext. */
        HTTP,
        /**
         * W11 served through Netty's own HTTP codec ({@code HttpServerCodec}), as Netty's
         * "hello world" example does: an extra row, Netty only; same headers, in lower case.
         */
        HTTP_CODEC
    }

    /** The address it listens on (127.0.0.1 and the port, picked by the system if 0 was asked). */
    InetSocketAddress address();

    /** Stops accepting, closes the connections and shuts the system's threads down. */
    @Override
    void close() throws Exception;

    /**
     * Starts {@code sys}'s server for {@code protocol} on 127.0.0.1:{@code port} (0: any free port).
     *
     * @throws SkippedException if the system cannot run here (Netty's epoll transport not loading)
     * @throws IllegalArgumentException if {@code sys} has no network server ({@code fjp-cf}), or
     *     {@code protocol} is Netty's codec and {@code sys} is not Netty
     */
    static NetServer start(Protocol protocol, Sys sys, int workers, int port) throws Exception {
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        if (protocol == Protocol.HTTP_CODEC && sys != Sys.NETTY && sys != Sys.NETTY_EPOLL) {
            throw new IllegalArgumentException("Netty's HTTP codec runs on Netty only, not on " + sys.key);
        }
        return switch (sys) {
            case EVENTIDE -> EventideServer.start(protocol, workers, at, false);
            case EVENTIDE_POLL -> EventideServer.start(protocol, workers, at, true);
            case FJP -> AsyncChannelServer.start(protocol, workers, at);
            case VTHREADS -> VirtualThreadServer.start(protocol, at);
            case NETTY, NETTY_EPOLL -> NettyServer.start(protocol, sys, workers, at);
            case FJP_CF -> throw new IllegalArgumentException(
                    "fjp-cf has no network server: the JDK's asynchronous channels run on the plain fjp pool");
        };
    }
}
