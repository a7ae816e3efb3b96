package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.runtime.Coop;
import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The future of a non-blocking connect, shared by TCP and Unix-domain streams. The socket is
 * opened at the first poll; it is closed if the connect fails or the future is cancelled (a
 * timed-out or aborted connect leaves no socket behind).
 *
 * @param <S> the stream type produced
 */
final class Connecting<S> implements Future<S> {
    /** Makes the stream once connected. */
    interface Factory<S> {
        S create(Registration reg, SocketChannel ch, SocketAddress peer);
    }

    private final Driver driver;
    private final ProtocolFamily family;
    private final SocketAddress address;
    private final Factory<S> factory;
    private volatile Registration reg;
    private Waker waiting;
    private boolean done;

    Connecting(Driver driver, ProtocolFamily family, SocketAddress address, Factory<S> factory) {
        this.driver = driver;
        this.family = family;
        this.address = address;
        this.factory = factory;
    }

    @Override
    public Poll<S> poll(Context cx) {
        if (done) {
            throw new IllegalStateException("connect future polled after completion");
        }
        if (reg == null) {
            // A connect that fails at once (a refused loopback port) never suspends: without
            // spending budget, a task retrying in a loop would hold its worker for good.
            if (!Coop.proceed(cx)) {
                return Poll.pending();
            }
            SocketChannel ch;
            try {
                ch = SocketChannel.open(family);
            } catch (IOException e) {
                throw new UncheckedIOException("connect to " + address + " failed: cannot open a socket: " + e, e);
            }
            reg = Registration.register(driver, ch, SelectionKey.OP_READ, SelectionKey.OP_CONNECT,
                    "connect to " + address);
            try {
                if (ch.connect(address)) {
                    return Poll.ready(finish(ch));
                }
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }
        SocketChannel ch = (SocketChannel) reg.channel();
        for (;;) {
            int s = reg.pollReady(cx, Registration.WRITE);
            if (s == Registration.NOT_READY) {
                waiting = cx.waker();
                return Poll.pending();
            }
            try {
                if (ch.finishConnect()) {
                    return Poll.ready(finish(ch));
                }
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
            reg.clearReady(s, Registration.WRITE);
        }
    }

    private S finish(SocketChannel ch) throws IOException {
        done = true;
        waiting = null;
        reg.setWriteOp(SelectionKey.OP_WRITE);
        return factory.create(reg, ch, ch.getRemoteAddress());
    }

    private RuntimeException fail(Exception e) {
        done = true;
        closeSocket(e);
        if (e instanceof IOException io) {
            return new UncheckedIOException("connect to " + address + " failed: " + io, io);
        }
        return (RuntimeException) e;
    }

    private void closeSocket(Exception primary) {
        try {
            reg.close();
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }

    /** For tests: whether the socket is open (null before the first poll opened it). */
    Boolean socketOpen() {
        Registration r = reg;
        return r == null ? null : r.channel().isOpen();
    }

    /** Abandons the connect: its socket is closed. */
    @Override
    public void cancel() {
        if (reg != null && !done) {
            done = true;
            if (waiting != null) {
                reg.dropWaker(Registration.WRITE, waiting);
            }
            closeSocket(null);
        }
    }
}
