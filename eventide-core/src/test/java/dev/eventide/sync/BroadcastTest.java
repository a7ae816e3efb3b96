package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The semantics of {@link Broadcast}. */
@Timeout(30)
class BroadcastTest {

    @Test
    void everyReceiverSeesEveryMessageInOrder() {
        var ch = Broadcast.<Integer>channel(8);
        var second = ch.tx().subscribe();
        assertThat(ch.tx().send(1)).isEqualTo(2);
        ch.tx().send(2);
        var w = new ChannelTestWaker();
        assertThat(w.poll(ch.rx().recv()).value()).isEqualTo(1);
        assertThat(w.poll(ch.rx().recv()).value()).isEqualTo(2);
        assertThat(second.tryRecv()).isEqualTo(1);
        assertThat(second.tryRecv()).isEqualTo(2);
        assertThat(second.tryRecv()).isNull();
    }

    @Test
    void aNewSubscriberSeesOnlyLaterMessages() {
        var ch = Broadcast.<Integer>channel(8);
        ch.tx().send(1);
        var late = ch.tx().subscribe();
        ch.tx().send(2);
        assertThat(late.tryRecv()).isEqualTo(2);
    }

    @Test
    void laggingReceiverIsToldHowManyItMissedAndContinuesFromTheOldest() {
        var ch = Broadcast.<Integer>channel(4);
        for (int i = 0; i < 10; i++) {
            ch.tx().send(i);
        }
        var w = new ChannelTestWaker();
        assertThatThrownBy(() -> w.poll(ch.rx().recv()))
                .isInstanceOfSatisfying(LaggedException.class, e -> assertThat(e.missed()).isEqualTo(6));
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rest.add(w.poll(ch.rx().recv()).value());
        }
        assertThat(rest).containsExactly(6, 7, 8, 9);
    }

    @Test
    void waitingReceiversAreWokenBySendAndCancelledOnesAreUnlinked() {
        var ch = Broadcast.<Integer>channel(4);
        var other = ch.tx().subscribe();
        var w1 = new ChannelTestWaker();
        var w2 = new ChannelTestWaker();
        assertThat(w1.poll(ch.rx().recv()).isPending()).isTrue();
        assertThat(w2.poll(other.recv()).isPending()).isTrue();
        other.recv().cancel();
        ch.tx().send(5);
        assertThat(w1.wakes()).isEqualTo(1);
        assertThat(w2.wakes()).isZero();
        assertThat(w2.poll(other.recv()).value()).as("the cancelled receive lost nothing").isEqualTo(5);
    }

    @Test
    void endOfStreamAfterTheLastSenderClosesAndSendWithoutReceiversFails() {
        var ch = Broadcast.<String>channel(4);
        var tx2 = ch.tx().clone();
        ch.tx().send("a");
        ch.tx().close();
        var w = new ChannelTestWaker();
        assertThat(w.poll(ch.rx().recv()).value()).isEqualTo("a");
        assertThat(w.poll(ch.rx().recv()).isPending()).isTrue();
        tx2.close();
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(w.poll(ch.rx().recv()).isReady()).isTrue();
        assertThat(w.poll(ch.rx().recv()).value()).isNull();

        var lonely = Broadcast.<String>channel(2);
        lonely.rx().close();
        assertThat(lonely.tx().receiverCount()).isZero();
        assertThatThrownBy(() -> lonely.tx().send("x"))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((String) e.value()).isEqualTo("x"));
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> Broadcast.channel(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> Broadcast.<String>channel(1).tx().send(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("message");
    }

    @Test
    void tasksFanOut() {
        long total = Eventide.run(() -> {
            var ch = Broadcast.<Integer>channel(1024);
            List<JoinHandle<Long>> hs = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                var rx = r == 0 ? ch.rx() : ch.tx().subscribe();
                hs.add(Eventide.spawn(() -> {
                    long s = 0;
                    for (Integer v; (v = rx.recv().await()) != null; ) {
                        s += v;
                    }
                    return s;
                }));
            }
            try (var tx = ch.tx()) {
                for (int i = 1; i <= 1000; i++) {
                    tx.send(i);
                }
            }
            long sum = 0;
            for (var h : hs) {
                sum += h.await();
            }
            return sum;
        });
        assertThat(total).isEqualTo(4L * 1000 * 1001 / 2);
    }
}
