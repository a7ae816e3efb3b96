package dev.eventide.fs;

import dev.eventide.Future;
import dev.eventide.offload.Offload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The common file-system operations as futures (tokio's {@code tokio::fs}): each runs the
 * matching {@link Files} call on the current runtime's blocking pool, so workers never block on
 * a disk.
 *
 * <pre>{@code
 * Fs.writeString(path, "hello").await();
 * String text = Fs.readString(path).await();
 * List<Path> entries = Fs.list(dir).await();
 * }</pre>
 *
 * <h2>Contract shared by every method</h2>
 * <ul>
 *   <li>Arguments are checked at the call: a null throws {@link NullPointerException} naming
 *       it. The operation itself starts when the future is first polled (awaited); a future that
 *       is never polled does nothing.</li>
 *   <li>A failure is thrown by {@code await()} to the awaiting task only, as an
 *       {@link UncheckedIOException} whose message names the operation and the path and whose
 *       cause is the JDK's exception ({@code NoSuchFileException}, {@code AccessDeniedException},
 *       {@code DirectoryNotEmptyException}, ...): catch it and test {@code getCause()}.</li>
 *   <li>Cancellation (abort, timeout, a lost {@code select}): an operation the pool has not
 *       started never runs; one already running runs to the end and its result is dropped. So a
 *       cancelled {@code write}, {@code remove} or {@code rename} may have happened, entirely
 *       (each is one {@code Files} call: a cancelled write is never cut off by the
 *       cancellation).</li>
 *   <li>Off a runtime (awaited by a plain thread) the call runs on the awaiting thread.</li>
 * </ul>
 * For reading or writing a file piece by piece, with seeking, use {@link AsyncFile}.
 */
public final class Fs {
    private Fs() {
    }

    /** The whole content of the file. */
    public static Future<byte[]> read(Path path) {
        Objects.requireNonNull(path, "path");
        return Offload.of("Fs.read", path, () -> Files.readAllBytes(path));
    }

    /** The whole content of the file decoded as UTF-8 (malformed input fails the read). */
    public static Future<String> readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    /** The whole content of the file decoded with {@code charset}. */
    public static Future<String> readString(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return Offload.of("Fs.readString", path, () -> Files.readString(path, charset));
    }

    /** Creates or truncates the file and writes {@code bytes} (copied at the call) to it. */
    public static Future<Void> write(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return Offload.of("Fs.write", path, () -> {
            Files.write(path, copy);
            return null;
        });
    }

    /** Creates or truncates the file and writes {@code text} to it in UTF-8. */
    public static Future<Void> writeString(Path path, CharSequence text) {
        Objects.requireNonNull(path, "path");
        String s = Objects.requireNonNull(text, "text").toString();
        return Offload.of("Fs.writeString", path, () -> {
            Files.writeString(path, s, StandardCharsets.UTF_8);
            return null;
        });
    }

    /** Appends {@code bytes} (copied at the call) to the file, creating it if it does not exist. */
    public static Future<Void> append(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return Offload.of("Fs.append", path, () -> {
            Files.write(path, copy, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return null;
        });
    }

    /** The entries of a directory (not recursive, in no particular order). */
    public static Future<List<Path>> list(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return Offload.of("Fs.list", dir, () -> {
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    entries.add(p);
                }
            }
            return entries;
        });
    }

    /** The file's basic attributes (size, times, kind), following symbolic links. */
    public static Future<BasicFileAttributes> metadata(Path path) {
        Objects.requireNonNull(path, "path");
        return Offload.of("Fs.metadata", path, () -> Files.readAttributes(path, BasicFileAttributes.class));
    }

    /** Whether the path exists (false also when its existence cannot be determined). */
    public static Future<Boolean> exists(Path path) {
        Objects.requireNonNull(path, "path");
        return Offload.of("Fs.exists", path, () -> Files.exists(path));
    }

    /** Creates one directory; its parent must exist. */
    public static Future<Void> createDirectory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return Offload.of("Fs.createDirectory", dir, () -> {
            Files.createDirectory(dir);
            return null;
        });
    }

    /** Creates a directory and any missing parents; a directory that exists already is fine. */
    public static Future<Void> createDirectories(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return Offload.of("Fs.createDirectories", dir, () -> {
            Files.createDirectories(dir);
            return null;
        });
    }

    /** Removes a file or an empty directory. */
    public static Future<Void> remove(Path path) {
        Objects.requireNonNull(path, "path");
        return Offload.of("Fs.remove", path, () -> {
            Files.delete(path);
            return null;
        });
    }

    /**
     * Removes a directory and everything under it (symbolic links are removed, not followed).
     * Not atomic: a failure part-way (or a cancellation once running, which does not stop it)
     * leaves what was not yet removed.
     */
    public static Future<Void> removeDirAll(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return Offload.of("Fs.removeDirAll", dir, () -> {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return null;
        });
    }

    /**
     * Renames (moves) {@code from} to {@code to}; {@code options} as for
     * {@link Files#move(Path, Path, CopyOption...)} ({@code REPLACE_EXISTING}, {@code ATOMIC_MOVE}).
     */
    public static Future<Void> rename(Path from, Path to, CopyOption... options) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        CopyOption[] opts = Objects.requireNonNull(options, "options").clone();
        for (CopyOption o : opts) {
            Objects.requireNonNull(o, "options[i]");
        }
        return Offload.of("Fs.rename", from + " -> " + to, () -> {
            Files.move(from, to, opts);
            return null;
        });
    }

    /** Copies a file; {@code options} as for {@link Files#copy(Path, Path, CopyOption...)}. */
    public static Future<Void> copy(Path from, Path to, CopyOption... options) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        CopyOption[] opts = Objects.requireNonNull(options, "options").clone();
        return Offload.of("Fs.copy", from + " -> " + to, () -> {
            Files.copy(from, to, opts);
            return null;
        });
    }
}
