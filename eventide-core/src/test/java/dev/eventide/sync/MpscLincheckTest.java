package dev.eventide.sync;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks the non-waiting operations of a bounded {@link Mpsc} (capacity 2, so "full" is
 * reached): concurrent {@code trySend}s, and the single consumer's {@code tryRecv},
 * {@code close} and {@code isDrained}, against a sequential bounded FIFO. Receiver operations
 * share a group: there is one consumer.
 */
@Timeout(300)
@Param(name = "value", gen = IntGen.class, conf = "1:9")
public class MpscLincheckTest {
    private final Mpsc<Integer> ch = Mpsc.bounded(2);

    @Operation
    public String trySend(@Param(name = "value") int v) {
        try {
            return ch.tx().trySend(v) ? "sent" : "full";
        } catch (ChannelClosedException e) {
            return "closed:" + e.value();
        }
    }

    @Operation(nonParallelGroup = "rx")
    public Integer tryRecv() {
        return ch.rx().tryRecv();
    }

    @Operation(nonParallelGroup = "rx")
    public void closeRx() {
        ch.rx().close();
    }

    @Operation(nonParallelGroup = "rx")
    public boolean isDrained() {
        return ch.rx().isDrained();
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .sequentialSpecification(Spec.class)
                .check(this.getClass());
    }

    /** The sequential meaning: a bounded FIFO that can be closed from the receiving side. */
    public static class Spec {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();
        private boolean closed;

        public String trySend(int v) {
            if (closed) {
                return "closed:" + v;
            }
            if (q.size() == 2) {
                return "full";
            }
            q.add(v);
            return "sent";
        }

        public Integer tryRecv() {
            return q.poll();
        }

        public void closeRx() {
            closed = true;
        }

        public boolean isDrained() {
            return closed && q.isEmpty();
        }
    }
}
