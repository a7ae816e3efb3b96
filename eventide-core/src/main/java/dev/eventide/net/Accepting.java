package dev.eventide.net;

import dev.eventide.Context;
import dev.eventide.runtime.Coop;
import dev.eventide.runtime.io.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The reactor's operation protocol applied to {@code accept}, shared by {@link TcpListener} and
 * {@link UnixListener}: try the system call while the registration says the listener may be
 * ready; when it would block, clear that readiness (the registration re-arms interest and keeps
 * the waker) and report pending.
 */
final class Accepting {
    private Accepting() {
    }

    /**
     * A queued connection of {@code ch}, or null after arranging for {@code cx}'s waker to be
     * woken when one may be.
     *
     * @param where the listener's address, for the error message
     */
    static SocketChannel poll(Registration reg, ServerSocketChannel ch, Context cx, Object where) {
        if (!Coop.proceed(cx)) {
            return null;
        }
        for (;;) {
            int s = reg.pollReady(cx, Registration.READ);
            if (s == Registration.NOT_READY) {
                return null;
            }
            SocketChannel conn;
            try {
                conn = ch.accept();
            } catch (IOException e) {
                throw new UncheckedIOException("accept on " + where + " failed: " + e, e);
            }
            if (conn != null) {
                return conn;
            }
            reg.clearReady(s, Registration.READ);
        }
    }
}
