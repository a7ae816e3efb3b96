package dev.eventide.signal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process-wide state of one signal: its listeners, and the handler Eventide displaced
 * while it has any.
 *
 * <p>Installing and restoring happen under this slot's monitor, together with the listener
 * list's first add and last remove, so the handler is installed exactly while the list is
 * non-empty. Delivery runs on the JVM's signal dispatcher thread, takes no lock, and wakes each
 * listener; the copy-on-write list suits a set that changes rarely and is walked on every
 * signal.
 */
final class SignalSlot implements sun.misc.SignalHandler {
    private static final ConcurrentHashMap<String, SignalSlot> SLOTS = new ConcurrentHashMap<>();

    private final String name;
    private final CopyOnWriteArrayList<SignalStream> listeners = new CopyOnWriteArrayList<>();
    private sun.misc.SignalHandler displaced; // guarded by this; non-null while installed

    private SignalSlot(String name) {
        this.name = name;
    }

    static SignalSlot forName(String name) {
        return SLOTS.computeIfAbsent(name, SignalSlot::new);
    }

    SignalStream open() {
        SignalStream s = new SignalStream(this);
        synchronized (this) {
            if (listeners.isEmpty()) {
                install();
            }
            listeners.add(s);
        }
        return s;
    }

    void remove(SignalStream s) {
        synchronized (this) {
            if (listeners.remove(s) && listeners.isEmpty()) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), displaced);
                displaced = null;
            }
        }
    }

    private void install() {
        sun.misc.Signal sig;
        sun.misc.SignalHandler previous;
        try {
            sig = new sun.misc.Signal(name);
            previous = sun.misc.Signal.handle(sig, this);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot listen to signal SIG" + name + ": " + e.getMessage()
                    + " (unknown names, signals the JVM reserves and JVMs run with -Xrs are refused)", e);
        }
        if (previous == sun.misc.SignalHandler.SIG_IGN && IGNORED_MEANS_NOT_INSTALLED.contains(name)) {
            // HotSpot does not take over a shutdown signal the process ignores (a shell starts
            // background jobs with SIGINT ignored, nohup ignores SIGHUP): it reports SIG_IGN and
            // installs nothing, so a listener would wait forever. Say so instead.
            throw new IllegalStateException("cannot listen to SIG" + name + ": this process ignores it (it was"
                    + " started in the background by a shell, or under nohup), and the JVM does not take over"
                    + " a shutdown signal that is ignored at startup. Run the program in the foreground.");
        }
        displaced = previous;
    }

    /** The JVM's shutdown signals: for these, SIG_IGN as the previous handler means ours was not installed. */
    private static final java.util.Set<String> IGNORED_MEANS_NOT_INSTALLED = java.util.Set.of("HUP", "INT", "TERM");

    int listenerCount() {
        return listeners.size();
    }

    String name() {
        return name;
    }

    /** Runs on the JVM's signal dispatcher thread. */
    @Override
    public void handle(sun.misc.Signal sig) {
        for (SignalStream s : listeners) {
            s.deliver();
        }
    }
}
