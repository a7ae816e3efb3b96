package dev.eventide.runtime.io;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The reactor's runtime-wide duties. Registrations live in the driver's selector (its key set is
 * the registry of every open socket of the runtime); this class holds what concerns all of them.
 */
public final class Reactor {
    private static final System.Logger LOG = System.getLogger("dev.eventide.runtime.io");

    private Reactor() {
    }

    /**
     * Closes every channel still registered with {@code selector}; called by the runtime's
     * shutdown before the selector itself is closed, so sockets that tasks still held are
     * released (closing a selector deregisters its channels but leaves them open). Tasks waiting
     * on them are woken and see their channel closed.
     */
    public static void closeAll(Selector selector) {
        try {
            for (SelectionKey key : selector.keys()) {
                try {
                    if (key.attachment() instanceof Registration r) {
                        r.closeAtShutdown();
                    } else {
                        key.channel().close();
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing a channel at runtime shutdown failed", e);
                }
            }
        } catch (ClosedSelectorException e) {
            // Already closed: its channels were closed then.
        }
    }
}
