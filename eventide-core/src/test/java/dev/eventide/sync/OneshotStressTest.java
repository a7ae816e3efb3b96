package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races a sending thread against a receiver that keeps re-registering and cancelling. */
@Timeout(60)
class OneshotStressTest {

    @Test
    void everyValueArrivesOnceDespiteWakerChangesAndCancellation() throws Exception {
        final int n = 200_000;
        @SuppressWarnings("unchecked")
        Oneshot<Integer>[] chans = new Oneshot[n];
        for (int i = 0; i < n; i++) {
            chans[i] = Oneshot.channel();
        }
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < n; i++) {
                if (i % 7 == 3) {
                    chans[i].tx().close();
                } else {
                    chans[i].tx().send(i);
                }
            }
        });
        AtomicInteger woken = new AtomicInteger();
        Waker counting = woken::incrementAndGet;
        Context a = Context.of(counting);
        Context b = Context.of(Waker.noop());
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int received = 0;
        int closed = 0;
        for (int i = 0; i < n; i++) {
            Oneshot.Receiver<Integer> rx = chans[i].rx();
            for (;;) {
                Poll<Integer> p;
                try {
                    p = rx.poll(rnd.nextBoolean() ? a : b);
                } catch (ChannelClosedException e) {
                    closed++;
                    break;
                }
                if (p.isReady()) {
                    assertThat(p.value()).isEqualTo(i);
                    received++;
                    break;
                }
                if (rnd.nextInt(4) == 0) {
                    rx.cancel();
                }
                Thread.onSpinWait();
            }
        }
        sender.join();
        int expectedClosed = (n - 3 + 6) / 7;
        assertThat(closed).isEqualTo(expectedClosed);
        assertThat(received).isEqualTo(n - expectedClosed);
    }
}
