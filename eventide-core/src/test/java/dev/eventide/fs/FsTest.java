package dev.eventide.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FsTest {
    @TempDir
    Path tmp;

    private static <T> T onRuntime(java.util.concurrent.Callable<T> block) {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            return rt.blockOn(block);
        }
    }

    @Test
    void roundTripOfEveryOperation() {
        Path dir = tmp.resolve("a/b");
        Path file = dir.resolve("data.txt");
        Path moved = tmp.resolve("a/moved.txt");
        onRuntime(() -> {
            Fs.createDirectories(dir).await();
            Fs.writeString(file, "héllo\n").await();
            Fs.append(file, "world\n".getBytes(StandardCharsets.UTF_8)).await();
            assertThat(Fs.readString(file).await()).isEqualTo("héllo\nworld\n");
            assertThat(Fs.read(file).await()).isEqualTo("héllo\nworld\n".getBytes(StandardCharsets.UTF_8));

            BasicFileAttributes attrs = Fs.metadata(file).await();
            assertThat(attrs.isRegularFile()).isTrue();
            assertThat(attrs.size()).isEqualTo("héllo\nworld\n".getBytes(StandardCharsets.UTF_8).length);

            Fs.write(dir.resolve("other.bin"), new byte[] {1, 2, 3}).await();
            List<Path> entries = Fs.list(dir).await();
            assertThat(entries).containsExactlyInAnyOrder(file, dir.resolve("other.bin"));

            Fs.rename(file, moved).await();
            assertThat(Fs.exists(file).await()).isFalse();
            assertThat(Fs.readString(moved).await()).isEqualTo("héllo\nworld\n");

            Fs.remove(moved).await();
            assertThat(Fs.exists(moved).await()).isFalse();
            Fs.createDirectory(dir.resolve("c")).await();
            Fs.removeDirAll(tmp.resolve("a")).await();
            assertThat(Fs.exists(tmp.resolve("a")).await()).isFalse();
            return null;
        });
    }

    @Test
    void writeCopiesItsArgumentAtTheCall() {
        Path file = tmp.resolve("copy.bin");
        byte[] data = {1, 2, 3};
        onRuntime(() -> {
            var w = Fs.write(file, data);
            data[0] = 9; // after the call, before the write runs
            w.await();
            assertThat(Fs.read(file).await()).containsExactly(1, 2, 3);
            return null;
        });
    }

    @Test
    void failureGoesToTheCallingTaskOnlyWithTheJdkCause() {
        Path missing = tmp.resolve("missing.txt");
        Path present = tmp.resolve("present.txt");
        onRuntime(() -> {
            Fs.writeString(present, "ok").await();
            JoinHandle<String> other = Eventide.spawn(() -> Fs.readString(present).await());
            assertThatThrownBy(() -> Fs.readString(missing).await())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("Fs.readString")
                    .hasMessageContaining(missing.toString());
            assertThat(other.await()).isEqualTo("ok");

            Fs.createDirectories(tmp.resolve("full/x")).await();
            assertThatThrownBy(() -> Fs.remove(tmp.resolve("full")).await())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(DirectoryNotEmptyException.class);
            assertThatThrownBy(() -> Fs.list(missing).await())
                    .hasCauseInstanceOf(NoSuchFileException.class);
            return null;
        });
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> Fs.readString(null)).isInstanceOf(NullPointerException.class).hasMessage("path");
        assertThatThrownBy(() -> Fs.write(tmp, null)).isInstanceOf(NullPointerException.class).hasMessage("bytes");
        assertThatThrownBy(() -> Fs.rename(tmp, null)).isInstanceOf(NullPointerException.class).hasMessage("to");
        assertThatThrownBy(() -> Fs.list(null)).isInstanceOf(NullPointerException.class).hasMessage("dir");
    }

    @Test
    void worksOffRuntimeOnTheAwaitingThread() {
        Path file = tmp.resolve("plain.txt");
        Fs.writeString(file, "plain").await();
        assertThat(Fs.readString(file).await()).isEqualTo("plain");
    }

    @Test
    void worksOnTheCurrentThreadRuntime() {
        Path file = tmp.resolve("ct.txt");
        try (Eventide rt = Eventide.currentThread()) {
            String s = rt.blockOn(() -> {
                Fs.writeString(file, "current").await();
                return Fs.readString(file).await();
            });
            assertThat(s).isEqualTo("current");
        }
    }

    @Test
    void abortedTaskDoesNotDisturbOthers() throws Exception {
        Path file = tmp.resolve("shared.txt");
        Files.writeString(file, "x".repeat(1000));
        onRuntime(() -> {
            var handles = new java.util.ArrayList<JoinHandle<Integer>>();
            for (int i = 0; i < 50; i++) {
                handles.add(Eventide.spawn(() -> Fs.readString(file).await().length()));
            }
            for (int i = 0; i < handles.size(); i += 2) {
                handles.get(i).abort();
            }
            for (int i = 1; i < handles.size(); i += 2) {
                assertThat(handles.get(i).await()).isEqualTo(1000);
            }
            return null;
        });
    }
}
