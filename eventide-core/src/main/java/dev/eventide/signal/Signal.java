package dev.eventide.signal;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.util.Locale;
import java.util.Objects;

/**
 * Operating-system signals as futures (tokio's {@code tokio::signal}).
 *
 * <pre>{@code
 * Signal.ctrlC().await();                       // the next SIGINT
 * try (SignalStream term = Signal.of("TERM")) { // every SIGTERM from now on
 *     while (true) { term.recv().await(); reload(); }
 * }
 * }</pre>
 *
 * <h2>Who handles the signal</h2>
 * The JVM handles SIGINT and SIGTERM by running its shutdown hooks and exiting. While at least
 * one Eventide listener for a signal exists (an open {@link SignalStream}, or a
 * {@link #ctrlC()} / {@link #terminate()} future that has been polled and not completed or
 * cancelled), Eventide's handler replaces the JVM's, and the signal no longer ends the JVM: the
 * program decides. When the last listener goes, the handler that was there before (the JVM's,
 * normally) is put back. Signals delivered while nobody listens get that handler. Handlers are
 * installed through {@code sun.misc.Signal} (module {@code jdk.unsupported}); a JVM started with
 * {@code -Xrs}, or a signal the JVM reserves ({@code USR1}, {@code QUIT}, ...), is refused with
 * {@link IllegalArgumentException}.
 *
 * <h2>Delivery</h2>
 * Every listener sees every signal delivered while it listens; signals arriving faster than a
 * listener receives them are coalesced into one (as in tokio, and as the kernel does). Waiting
 * needs no runtime thread: the JVM's signal dispatcher wakes the waiting tasks.
 */
public final class Signal {
    private Signal() {
    }

    /**
     * A future that completes at the next SIGINT (Ctrl-C) delivered after its first poll. It
     * listens from its first poll until it completes or is cancelled (cancelling loses nothing:
     * a signal is not consumed by a future that did not complete).
     */
    public static Future<Void> ctrlC() {
        return next("INT");
    }

    /** A future that completes at the next SIGTERM delivered after its first poll; see {@link #ctrlC()}. */
    public static Future<Void> terminate() {
        return next("TERM");
    }

    /**
     * A stream of the signal {@code name} ({@code "INT"}, {@code "TERM"}, {@code "HUP"}, with or
     * without the {@code SIG} prefix, any case), listening from now until it is closed.
     *
     * @throws IllegalArgumentException if the name is unknown, or the JVM reserves the signal
     */
    public static SignalStream of(String name) {
        Objects.requireNonNull(name, "name");
        return SignalSlot.forName(canonical(name)).open();
    }

    private static String canonical(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        if (n.isEmpty()) {
            throw new IllegalArgumentException("name must name a signal, got \"" + name + "\"");
        }
        return n;
    }

    private static Future<Void> next(String name) {
        return new Future<>() {
            private SignalStream stream;

            @Override
            public Poll<Void> poll(Context cx) {
                if (stream == null) {
                    stream = SignalSlot.forName(name).open();
                }
                if (!stream.pollRecv(cx)) {
                    return Poll.pending();
                }
                stream.close();
                return Poll.ready(null);
            }

            @Override
            public void cancel() {
                if (stream != null) {
                    stream.close();
                }
            }
        };
    }

    /** Listeners of {@code name} now; for tests. */
    static int listeners(String name) {
        return SignalSlot.forName(canonical(name)).listenerCount();
    }
}
