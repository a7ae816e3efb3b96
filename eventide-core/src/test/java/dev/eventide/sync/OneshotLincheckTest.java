package dev.eventide.sync;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks {@link Oneshot}'s lock-free state word: every interleaving of send, close and
 * receive (bounded by Lincheck's search) must match some sequential order of the same calls.
 * The sender's operations share a group (a sender is used by one thread at a time), as do the
 * receiver's.
 */
@Timeout(300)
public class OneshotLincheckTest {
    private final Oneshot<Integer> ch = Oneshot.channel();

    @Operation(nonParallelGroup = "tx")
    public String send(int v) {
        try {
            ch.tx().send(v);
            return "sent";
        } catch (ChannelClosedException e) {
            return "closed:" + e.value();
        } catch (IllegalStateException e) {
            return "used";
        }
    }

    @Operation(nonParallelGroup = "tx")
    public boolean closeTx() {
        ch.tx().close();
        return ch.tx().isClosed();
    }

    @Operation(nonParallelGroup = "rx")
    public String tryRecv() {
        try {
            return String.valueOf(ch.rx().tryRecv());
        } catch (ChannelClosedException e) {
            return "sender-closed";
        } catch (IllegalStateException e) {
            return "rx-closed";
        }
    }

    @Operation(nonParallelGroup = "rx")
    public void closeRx() {
        ch.rx().close();
    }

    @Test
    void modelCheck() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(3)
                .check(this.getClass());
    }
}
