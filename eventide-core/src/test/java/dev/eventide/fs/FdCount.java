package dev.eventide.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this JVM's open file descriptors (Linux), for leak tests. */
public final class FdCount {
    private FdCount() {
    }

    /** The number of entries in /proc/self/fd (the listing's own descriptor included, each time alike). */
    public static long now() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
