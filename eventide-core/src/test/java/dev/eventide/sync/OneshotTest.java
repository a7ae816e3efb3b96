package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.Poll;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The semantics of {@link Oneshot}. */
@Timeout(30)
class OneshotTest {

    @Test
    void valueSentBeforeOrAfterTheReceiverWaits() {
        var w = new ChannelTestWaker();
        var early = Oneshot.<String>channel();
        early.tx().send("a");
        assertThat(w.poll(early.rx()).value()).isEqualTo("a");

        var late = Oneshot.<String>channel();
        assertThat(w.poll(late.rx()).isPending()).isTrue();
        assertThat(w.poll(late.rx()).isPending()).as("re-poll with the same waker").isTrue();
        late.tx().send("b");
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(w.poll(late.rx()).value()).isEqualTo("b");
    }

    @Test
    void aChangedWakerIsTheOneWoken() {
        var ch = Oneshot.<Integer>channel();
        var first = new ChannelTestWaker();
        var second = new ChannelTestWaker();
        first.poll(ch.rx());
        second.poll(ch.rx());
        ch.tx().send(1);
        assertThat(first.wakes()).isZero();
        assertThat(second.wakes()).isEqualTo(1);
    }

    @Test
    void senderClosedWithoutSendingFailsTheReceiver() {
        var ch = Oneshot.<Integer>channel();
        var w = new ChannelTestWaker();
        w.poll(ch.rx());
        ch.tx().close();
        assertThat(w.wakes()).isEqualTo(1);
        assertThatThrownBy(() -> w.poll(ch.rx())).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("without sending");
        assertThatThrownBy(() -> ch.rx().tryRecv()).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void closeAfterSendIsHarmlessSoTryWithResourcesWorks() {
        var ch = Oneshot.<Integer>channel();
        try (var tx = ch.tx()) {
            tx.send(5);
        }
        assertThat(ch.rx().tryRecv()).isEqualTo(5);
    }

    @Test
    void sendToAClosedReceiverHandsTheValueBack() {
        var ch = Oneshot.<String>channel();
        ch.rx().close();
        assertThat(ch.tx().isClosed()).isTrue();
        assertThatThrownBy(() -> ch.tx().send("v"))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((String) e.value()).isEqualTo("v"));
    }

    @Test
    void secondSendIsRefusedAndDoesNotOverwrite() {
        var ch = Oneshot.<String>channel();
        ch.tx().send("first");
        assertThatThrownBy(() -> ch.tx().send("second")).isInstanceOf(IllegalStateException.class);
        assertThat(ch.rx().tryRecv()).isEqualTo("first");
        assertThatThrownBy(() -> ch.tx().send(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
    }

    @Test
    void cancellingTheReceiverLosesNothing() {
        var ch = Oneshot.<Integer>channel();
        var w = new ChannelTestWaker();
        w.poll(ch.rx());
        ch.rx().cancel();
        ch.tx().send(3);
        assertThat(w.wakes()).as("the cancelled waiter is not woken").isZero();
        assertThat(ch.tx().isClosed()).isFalse();
        assertThat(w.poll(ch.rx()).value()).isEqualTo(3);
    }

    @Test
    void tryRecvBeforeTheValueIsNull() {
        var ch = Oneshot.<Integer>channel();
        assertThat(ch.rx().tryRecv()).isNull();
    }

    @Test
    void pingPongBetweenTasks() {
        int n = Eventide.run(() -> {
            int done = 0;
            List<dev.eventide.JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int k = i;
                hs.add(Eventide.spawn(() -> {
                    var a = Oneshot.<Integer>channel();
                    var b = Oneshot.<Integer>channel();
                    Eventide.spawn(() -> b.tx().send(a.rx().await() + 1));
                    a.tx().send(k);
                    return b.rx().await();
                }));
            }
            for (int i = 0; i < hs.size(); i++) {
                if (hs.get(i).await() == i + 1) {
                    done++;
                }
            }
            return done;
        });
        assertThat(n).isEqualTo(1000);
    }

    @Test
    void blockingRecvFromAPlainThread() throws Exception {
        var ch = Oneshot.<String>channel();
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            rt.handle().spawn(() -> ch.tx().send("hi"));
            assertThat(ch.rx().blockingRecv()).isEqualTo("hi");
        }
        Poll<String> again = new ChannelTestWaker().poll(ch.rx());
        assertThat(again.value()).as("a received value can be read again").isEqualTo("hi");
    }
}
