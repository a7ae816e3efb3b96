package dev.eventide.net;

import java.io.File;

/** Counts the test JVM's open file descriptors (entries of /proc/self/fd). */
final class FdCount {
    private FdCount() {
    }

    static int open() {
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            throw new IllegalStateException("/proc/self/fd is not readable: these tests need Linux");
        }
        return names.length;
    }
}
