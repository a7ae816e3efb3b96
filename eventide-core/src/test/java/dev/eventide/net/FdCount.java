package dev.eventide.net;

import java.io.File;

/** Counts the test JVM's open file descriptors (entries of /proc/self/fd). */
final class FdCount {
    private FdCount() {
    }

    /**
     * Opens and closes one socket of each kind outside any runtime first: the JDK opens a few
     * descriptors of its own once per JVM (the NIO "pre-close" socket), which must not be
     * counted as a leak.
     */
    static int openAfterWarmUp() {
        try (var s = java.nio.channels.ServerSocketChannel.open();
                var c = java.nio.channels.SocketChannel.open();
                var d = java.nio.channels.DatagramChannel.open();
                var sel = java.nio.channels.Selector.open()) {
            s.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            c.connect(s.getLocalAddress());
            c.configureBlocking(false);
            c.register(sel, 0);
            try (var a = s.accept()) {
                a.close();
            }
            c.close();
            sel.selectNow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return open();
    }

    static int open() {
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            throw new IllegalStateException("/proc/self/fd is not readable: these tests need Linux");
        }
        return names.length;
    }

    /** What the open descriptors are (for failure messages). */
    static java.util.List<String> describe() {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] names = new File("/proc/self/fd").list();
        if (names != null) {
            for (String n : names) {
                try {
                    out.add(n + " -> " + java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", n)));
                } catch (java.io.IOException e) {
                    out.add(n + " (gone)");
                }
            }
        }
        return out;
    }
}
