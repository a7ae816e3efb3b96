package dev.eventide.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Eventide;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BufWriterTest {

    /** A sink that takes at most 5 bytes per write and is pending every other call. */
    static final class SlowSink implements AsyncWrite {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        int writes;
        boolean pendingNext;
        boolean shut;

        @Override
        public int pollWrite(Context cx, ByteBuffer src) {
            if (pendingNext) {
                pendingNext = false;
                cx.waker().wake();
                return AsyncRead.PENDING;
            }
            pendingNext = true;
            writes++;
            int n = Math.min(5, src.remaining());
            for (int i = 0; i < n; i++) {
                got.write(src.get());
            }
            return n;
        }

        @Override
        public boolean pollShutdown(Context cx) {
            shut = true;
            return true;
        }
    }

    @Test
    void gathersSmallWritesAndFlushesOnShutdown() {
        SlowSink sink = new SlowSink();
        BufWriter w = new BufWriter(sink, 16);
        Eventide.run(() -> {
            for (int i = 0; i < 10; i++) {
                w.writeAll(ByteBuffer.wrap(("m" + i + ";").getBytes(StandardCharsets.UTF_8))).await();
            }
            assertThat(w.buffered()).isPositive();
            w.writeAll(ByteBuffer.wrap("a large write that bypasses the buffer".getBytes(StandardCharsets.UTF_8)))
                    .await();
            w.writeAll(ByteBuffer.wrap("tail".getBytes(StandardCharsets.UTF_8))).await();
            w.shutdown().await();
        });
        assertThat(sink.got.toString(StandardCharsets.UTF_8))
                .isEqualTo("m0;m1;m2;m3;m4;m5;m6;m7;m8;m9;a large write that bypasses the buffertail");
        assertThat(w.buffered()).isZero();
        assertThat(sink.shut).isTrue();
    }
}
