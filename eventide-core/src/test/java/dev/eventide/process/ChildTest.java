package dev.eventide.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.fs.FdCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildTest {
    @TempDir
    Path tmp;

    private static <T> T onRuntime(Callable<T> block) {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            return rt.blockOn(block);
        }
    }

    private static Command sh(String script) {
        return Command.of("sh", "-c", script);
    }

    @Test
    void outputIsReadLineByLineAsItArrives() {
        onRuntime(() -> {
            // The child prints a line, then waits for ours: reading "one" proves the line arrived
            // while the child was still running, not at its exit.
            try (Child child = sh("echo one; read x; echo \"got $x\"; printf 'three\\r\\nlast'")
                    .stdin(Stdio.PIPED).stdout(Stdio.PIPED).spawn()) {
                ChildOutput out = child.stdout();
                assertThat(out.readLine().await()).isEqualTo("one");
                assertThat(child.isAlive()).isTrue();
                child.stdin().writeAll(ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.UTF_8))).await();
                child.stdin().flush().await();
                assertThat(out.readLine().await()).isEqualTo("got hi");
                assertThat(out.readLine().await()).isEqualTo("three");
                assertThat(out.readLine().await()).isEqualTo("last");
                assertThat(out.readLine().await()).isNull();
                assertThat(child.waitFor().await()).isZero();
            }
            return null;
        });
    }

    @Test
    void exitStatusArgsEnvAndDirectory() throws IOException {
        onRuntime(() -> {
            assertThat(sh("exit 3").spawn().waitFor().await()).isEqualTo(3);
            try (Child c = Command.of("sh", "-c", "echo \"$GREETING $1\"; pwd", "sh", "world")
                    .env("GREETING", "hello").directory(tmp).stdout(Stdio.PIPED).spawn()) {
                assertThat(c.stdout().readLine().await()).isEqualTo("hello world");
                assertThat(Path.of(c.stdout().readLine().await()).toRealPath()).isEqualTo(tmp.toRealPath());
                assertThat(c.waitFor().await()).isZero();
                assertThat(c.tryWait()).isZero();
            }
            try (Child c = sh("echo oops >&2; exit 1").stdout(Stdio.NULL).stderr(Stdio.PIPED).spawn()) {
                assertThat(c.stderr().readLine().await()).isEqualTo("oops");
                assertThat(c.waitFor().await()).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void killEndsTheChild() {
        onRuntime(() -> {
            try (Child c = Command.of("sleep", "60").spawn()) {
                assertThat(c.tryWait()).isNull();
                c.kill();
                assertThat(c.waitFor().await()).isEqualTo(128 + 9);
                assertThat(c.isAlive()).isFalse();
            }
            try (Child c = Command.of("sleep", "60").spawn()) {
                c.terminate();
                assertThat(c.waitFor().await()).isEqualTo(128 + 15);
            }
            return null;
        });
    }

    @Test
    void badInputAndFailuresAreClear() {
        assertThatThrownBy(() -> Command.of("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("program");
        assertThatThrownBy(() -> Command.of((String) null)).isInstanceOf(NullPointerException.class).hasMessage("program");
        assertThatThrownBy(() -> Command.of("true").stdout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("stdout");
        assertThatThrownBy(() -> Command.of("/no/such/program-xyz").spawn())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/no/such/program-xyz")
                .hasCauseInstanceOf(IOException.class);
        onRuntime(() -> {
            try (Child c = Command.of("true").spawn()) {
                assertThatThrownBy(c::stdout).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stdout(Stdio.PIPED)");
                c.waitFor().await();
            }
            // writing to a child that has exited: the broken pipe reaches the writer, no one else
            try (Child c = Command.of("true").stdin(Stdio.PIPED).spawn()) {
                c.waitFor().await();
                assertThatThrownBy(() -> {
                    ByteBuffer b = ByteBuffer.allocate(Child.PIPE_BUFFER);
                    for (int i = 0; i < 100; i++) {
                        b.clear();
                        c.stdin().writeAll(b).await();
                        c.stdin().flush().await();
                    }
                }).isInstanceOf(UncheckedIOException.class).hasMessageContaining("stdin of pid " + c.pid());
            }
            return null;
        });
    }

    @Test
    void largeBidirectionalTransferThroughCat() {
        byte[] data = new byte[1_000_000];
        new Random(5).nextBytes(data);
        byte[] back = onRuntime(() -> {
            try (Child cat = Command.of("cat").stdin(Stdio.PIPED).stdout(Stdio.PIPED).spawn()) {
                // More than the pipes hold: writing and reading must overlap, or both block.
                JoinHandle<Void> writer = Eventide.spawn(() -> {
                    ChildStdin in = cat.stdin();
                    for (int off = 0; off < data.length; off += 10_000) {
                        in.writeAll(ByteBuffer.wrap(data, off, 10_000)).await();
                    }
                    in.shutdown().await();
                });
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                for (;;) {
                    buf.clear();
                    int n = cat.stdout().read(buf).await();
                    if (n < 0) {
                        break;
                    }
                    got.write(buf.array(), 0, n);
                }
                writer.await();
                assertThat(cat.waitFor().await()).isZero();
                return got.toByteArray();
            }
        });
        assertThat(back).isEqualTo(data);
    }

    @Test
    void cancelledWaitAndReadLoseNothing() {
        onRuntime(() -> {
            try (Child c = sh("read x; echo \"$x\"; echo second").stdin(Stdio.PIPED).stdout(Stdio.PIPED).spawn()) {
                var wait = c.waitFor();
                assertThat(wait.poll(dev.eventide.Context.of(dev.eventide.Waker.noop())).isReady()).isFalse();
                wait.cancel();
                var line = c.stdout().readLine();
                assertThat(line.poll(dev.eventide.Context.of(dev.eventide.Waker.noop())).isReady()).isFalse();
                line.cancel(); // the read stays in flight, owned by the stream
                c.stdin().writeAll(ByteBuffer.wrap("first\n".getBytes())).await();
                c.stdin().shutdown().await();
                assertThat(c.stdout().readLine().await()).isEqualTo("first");
                assertThat(c.stdout().readLine().await()).isEqualTo("second");
                assertThat(c.waitFor().await()).isZero();
            }
            return null;
        });
    }

    @Test
    void bytesOfALineACancelledReadLineHadBegunAreNotLost() {
        onRuntime(() -> {
            try (Child c = sh("printf par; read x; echo tial").stdin(Stdio.PIPED).stdout(Stdio.PIPED).spawn()) {
                ChildOutput out = c.stdout();
                var line = out.readLine();
                // Poll by hand until "par" has been taken into the line; the next read then waits for us.
                for (int i = 0; i < 100 && out.partialLineLength() < 3; i++) {
                    java.util.concurrent.CountDownLatch woken = new java.util.concurrent.CountDownLatch(1);
                    assertThat(line.poll(dev.eventide.Context.of(woken::countDown)).isReady()).isFalse();
                    if (out.partialLineLength() < 3) {
                        assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                }
                assertThat(out.partialLineLength()).isEqualTo(3);
                line.cancel();
                ByteBuffer buf = ByteBuffer.allocate(2);
                assertThat(out.read(buf).await()).isEqualTo(2);
                assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("pa");
                c.stdin().writeAll(ByteBuffer.wrap("\n".getBytes())).await();
                assertThat(out.readLine().await()).isEqualTo("rtial");
                assertThat(c.waitFor().await()).isZero();
            }
            return null;
        });
    }

    @Test
    void noDescriptorLeaks() {
        onRuntime(() -> {
            runOne(); // warm up: classes loaded, the JDK's process helpers started
            long before = FdCount.now();
            for (int i = 0; i < 20; i++) {
                runOne();
            }
            assertThat(FdCount.now()).isEqualTo(before);
            return null;
        });
    }

    private static void runOne() {
        try (Child c = sh("cat; echo done >&2").stdin(Stdio.PIPED).stdout(Stdio.PIPED).stderr(Stdio.PIPED).spawn()) {
            c.stdin().writeAll(ByteBuffer.wrap("x\n".getBytes())).await();
            c.stdin().shutdown().await();
            assertThat(c.stdout().readLine().await()).isEqualTo("x");
            assertThat(c.stdout().readLine().await()).isNull();
            assertThat(c.stderr().readLine().await()).isEqualTo("done");
            assertThat(c.waitFor().await()).isZero();
        }
    }

    @Test
    void closingTheRuntimeReleasesAChildWhoseOutputATaskIsReading() {
        AtomicReference<Child> child = new AtomicReference<>();
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        Eventide rt = Eventide.builder().workerThreads(1).build();
        boolean clean;
        try {
            rt.handle().spawn(() -> {
                Child c = Command.of("sleep", "60").stdout(Stdio.PIPED).killOnClose(true).spawn();
                child.set(c);
                reading.countDown();
                return c.stdout().readLine().await(); // never completes: the child is silent
            });
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            clean = rt.shutdownTimeout(Duration.ofSeconds(5));
        }
        assertThat(clean).isTrue();
        assertThat(child.get().toHandle().onExit().orTimeout(5, TimeUnit.SECONDS).join().isAlive()).isFalse();
    }

    @Test
    void manyChildrenConcurrently() {
        int n = 16;
        List<Integer> statuses = onRuntime(() -> {
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                hs.add(Eventide.spawn(() -> {
                    try (Child c = sh("echo " + k + "; exit " + k).stdout(Stdio.PIPED).spawn()) {
                        assertThat(c.stdout().readLine().await()).isEqualTo(Integer.toString(k));
                        return c.waitFor().await();
                    }
                }));
            }
            List<Integer> out = new ArrayList<>();
            for (var h : hs) {
                out.add(h.await());
            }
            return out;
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertThat(statuses).isEqualTo(expected);
    }
}
