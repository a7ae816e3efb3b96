package dev.eventide.runtime.io;

import dev.eventide.runtime.Scheduler;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The reactor's runtime-wide duties. Registrations live in the driver's selector (its key set is
 * the registry of every open socket of the runtime); this class holds what concerns all of them.
 */
public final class Reactor {
    private static final System.Logger LOG = System.getLogger("dev.eventide.runtime.io");

    /** Runtimes whose shutdown already closes their sockets (weak: a closed runtime may go). */
    private static final Map<Scheduler, Boolean> CLOSED_AT_SHUTDOWN =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Reactor() {
    }

    /**
     * Makes sure {@code scheduler}'s shutdown closes every socket still registered with its
     * selector: the first socket created on a runtime registers {@link #closeAll} as one of the
     * runtime's resources, which shutdown closes after cancelling the tasks and before closing
     * the selector. Called when a socket is bound or connected (not per accepted connection).
     */
    static void closeAtShutdown(Scheduler scheduler) {
        if (CLOSED_AT_SHUTDOWN.putIfAbsent(scheduler, Boolean.TRUE) == null) {
            Selector selector = scheduler.driver.selector();
            // If shutdown already ran its resources, the caller's registration fails on the
            // closed selector anyway.
            scheduler.registerResource(new AutoCloseable() {
                @Override
                public void close() {
                    closeAll(selector);
                }

                @Override
                public String toString() {
                    return "the sockets of the runtime's reactor";
                }
            });
        }
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
