package dev.eventide.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BufReaderTest {

    static List<String> allLines(BufReader r) {
        List<String> out = new ArrayList<>();
        Lines lines = r.lines();
        for (String l; (l = lines.next().await()) != null; ) {
            out.add(l);
        }
        return out;
    }

    @Test
    void linesAcrossChunksWithCrLfAndAnUnterminatedLastLine() {
        List<String> lines = Eventide.run(() -> allLines(new BufReader(
                new ScriptedRead("alpha\r\nbe", "ta\n", "\n", "gam", "ma\r", "\nδέλτα\nlast"), 4,
                StandardCharsets.UTF_8, 100)));
        assertThat(lines).containsExactly("alpha", "beta", "", "gamma", "δέλτα", "last");
    }

    @Test
    void tooLongALineFails() {
        assertThatThrownBy(() -> Eventide.run(() -> allLines(new BufReader(
                new ScriptedRead("short\n", "x".repeat(50) + "\n"), 8, StandardCharsets.UTF_8, 10))))
                .hasRootCauseMessage("line longer than the maximum of 10 bytes");
        assertThatThrownBy(() -> new BufReader(new ScriptedRead(), 0, StandardCharsets.UTF_8, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new BufReader(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("source");
    }

    @Test
    void cancelledReadLineLosesNothing() {
        BufReader r = new BufReader(new ScriptedRead("hel", "lo wor", "ld\nnext\n"), 4, StandardCharsets.UTF_8, 100);
        Context cx = Context.of(Waker.noop());
        // Poll partial lines, abandoning a future each time: the next future resumes the line.
        String line = null;
        for (int i = 0; i < 20 && line == null; i++) {
            Future<String> f = r.readLine();
            Poll<String> p = f.poll(cx);
            if (p.isReady()) {
                line = p.value();
            } else {
                f.cancel();
            }
        }
        assertThat(line).isEqualTo("hello world");
        assertThat(Eventide.run(() -> r.readLine().await())).isEqualTo("next");
        assertThat(Eventide.run(() -> r.readLine().await())).isNull();
    }

    @Test
    void readsBytesThroughTheBuffer() {
        BufReader r = new BufReader(new ScriptedRead("0123456789", "abc"), 4, StandardCharsets.UTF_8, 100);
        String all = Eventide.run(() -> {
            StringBuilder sb = new StringBuilder();
            ByteBuffer small = ByteBuffer.allocate(3);
            for (int n; (n = r.read(small.clear()).await()) >= 0; ) {
                sb.append(new String(small.array(), 0, n, StandardCharsets.UTF_8));
            }
            return sb.toString();
        });
        assertThat(all).isEqualTo("0123456789abc");
    }

    @Test
    void readExactAcrossChunks() {
        ByteBuffer dst = ByteBuffer.allocate(7);
        Eventide.run(() -> new ScriptedRead("ab", "cde", "fg").readExact(dst).await());
        assertThat(new String(dst.array(), StandardCharsets.UTF_8)).isEqualTo("abcdefg");
        ByteBuffer tooBig = ByteBuffer.allocate(8);
        assertThatThrownBy(() -> Eventide.run(() -> new ScriptedRead("abc").readExact(tooBig).await()))
                .hasRootCauseInstanceOf(java.io.EOFException.class);
        assertThat(tooBig.position()).isEqualTo(3);
    }

    @Test
    void errorsAreUnchecked() {
        AsyncRead failing = (cx, dst) -> {
            throw new UncheckedIOException(new java.io.IOException("boom"));
        };
        assertThatThrownBy(() -> Eventide.run(() -> new BufReader(failing).readLine().await()))
                .hasRootCauseMessage("boom");
    }
}
