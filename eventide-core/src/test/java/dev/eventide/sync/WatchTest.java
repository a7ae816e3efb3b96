package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The semantics of {@link Watch}. */
@Timeout(30)
class WatchTest {

    @Test
    void borrowSeesTheLatestValueAndChangedFiresOncePerUnseenVersion() {
        var ch = Watch.channel("v0");
        var w = new ChannelTestWaker();
        assertThat(ch.rx().borrow()).isEqualTo("v0");
        assertThat(ch.rx().hasChanged()).isFalse();
        assertThat(w.poll(ch.rx().changed()).isPending()).isTrue();
        ch.tx().send("v1");
        ch.tx().send("v2");
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(w.poll(ch.rx().changed()).value()).isTrue();
        assertThat(ch.rx().borrow()).as("intermediate values are skipped").isEqualTo("v2");
        assertThat(w.poll(ch.rx().changed()).isPending()).as("v2 is now seen").isTrue();
    }

    @Test
    void borrowAndUpdateMarksSeen() {
        var ch = Watch.channel(1);
        ch.tx().send(2);
        assertThat(ch.rx().hasChanged()).isTrue();
        assertThat(ch.rx().borrowAndUpdate()).isEqualTo(2);
        assertThat(ch.rx().hasChanged()).isFalse();
    }

    @Test
    void closingTheSenderEndsTheStreamAfterTheLastChange() {
        var ch = Watch.channel(0);
        var w = new ChannelTestWaker();
        ch.tx().send(1);
        ch.tx().close();
        assertThat(w.poll(ch.rx().changed()).value()).isTrue();
        assertThat(w.poll(ch.rx().changed()).value()).isFalse();
        assertThat(ch.rx().borrow()).isEqualTo(1);
        assertThatThrownBy(() -> ch.tx().send(2)).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    void sendWithoutReceiversFailsButSendReplaceStores() {
        var ch = Watch.channel("a");
        ch.rx().close();
        assertThat(ch.tx().isClosed()).isTrue();
        assertThatThrownBy(() -> ch.tx().send("b"))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((String) e.value()).isEqualTo("b"));
        assertThat(ch.tx().borrow()).isEqualTo("a");
        assertThat(ch.tx().sendReplace("c")).isEqualTo("a");
        var late = ch.tx().subscribe();
        assertThat(late.borrow()).isEqualTo("c");
        assertThat(late.hasChanged()).isFalse();
    }

    @Test
    void cancelledWaitIsUnlinkedAndLosesNoChange() {
        var ch = Watch.channel(0);
        var other = ch.rx().clone();
        var w1 = new ChannelTestWaker();
        var w2 = new ChannelTestWaker();
        w1.poll(ch.rx().changed());
        w2.poll(other.changed());
        other.changed().cancel();
        ch.tx().send(1);
        assertThat(w1.wakes()).isEqualTo(1);
        assertThat(w2.wakes()).isZero();
        assertThat(w2.poll(other.changed()).value()).isTrue();
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Watch.channel(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("initial");
        assertThatThrownBy(() -> Watch.channel(1).tx().send(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
    }

    @Test
    void aWatchingTaskSeesTheFinalValue() {
        int last = Eventide.run(() -> {
            var ch = Watch.channel(0);
            var rx = ch.rx();
            JoinHandle<Integer> watcher = Eventide.spawn(() -> {
                int seen = rx.borrowAndUpdate();
                while (rx.changed().await()) {
                    int v = rx.borrowAndUpdate();
                    if (v < seen) {
                        return -1; // values never go backwards
                    }
                    seen = v;
                }
                return seen;
            });
            try (var tx = ch.tx()) {
                for (int i = 1; i <= 2_000; i++) {
                    tx.send(i);
                    if (i % 100 == 0) {
                        Eventide.yieldNow().await();
                    }
                }
            }
            return watcher.await();
        });
        assertThat(last).isEqualTo(2_000);
    }
}
