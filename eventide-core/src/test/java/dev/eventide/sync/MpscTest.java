package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The semantics of {@link Mpsc}: order, back-pressure, closing, the end of the stream. */
@Timeout(30)
class MpscTest {

    @Test
    void boundedDeliversInOrderAndReportsFull() {
        var ch = Mpsc.<Integer>bounded(3);
        assertThat(ch.tx().trySend(1)).isTrue();
        assertThat(ch.tx().trySend(2)).isTrue();
        assertThat(ch.tx().trySend(3)).isTrue();
        assertThat(ch.tx().trySend(4)).isFalse();
        assertThat(ch.rx().tryRecv()).isEqualTo(1);
        assertThat(ch.tx().trySend(4)).isTrue();
        assertThat(List.of(ch.rx().tryRecv(), ch.rx().tryRecv(), ch.rx().tryRecv())).containsExactly(2, 3, 4);
        assertThat(ch.rx().tryRecv()).isNull();
        assertThat(ch.rx().isDrained()).isFalse();
    }

    @Test
    void sendIsPendingWhileFullAndCompletesWhenSpaceFrees() {
        var ch = Mpsc.<String>bounded(1);
        var w = new ChannelTestWaker();
        assertThat(w.poll(ch.tx().send("a")).isReady()).isTrue();
        Future<Void> second = ch.tx().send("b");
        assertThat(w.poll(second).isPending()).isTrue();
        assertThat(w.wakes()).isZero();

        assertThat(ch.rx().tryRecv()).isEqualTo("a");
        assertThat(w.wakes()).as("receiving hands the freed slot to the waiting sender").isEqualTo(1);
        assertThat(ch.rx().tryRecv()).as("not written until the sender is polled").isNull();
        assertThat(w.poll(second).isReady()).isTrue();
        assertThat(ch.rx().tryRecv()).isEqualTo("b");
    }

    @Test
    void waitingSendersAreServedFirstComeFirstServedAndNewSendsDoNotOvertake() {
        var ch = Mpsc.<Integer>bounded(1);
        var w = new ChannelTestWaker();
        assertThat(ch.tx().trySend(0)).isTrue();
        List<Future<Void>> waiting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Future<Void> f = ch.tx().send(i);
            assertThat(w.poll(f).isPending()).isTrue();
            waiting.add(f);
        }
        List<Integer> got = new ArrayList<>();
        got.add(ch.rx().tryRecv());
        assertThat(ch.tx().trySend(99)).as("a granted waiter holds the slot").isFalse();
        for (Future<Void> f : waiting) {
            assertThat(w.poll(f).isReady()).isTrue();
            got.add(ch.rx().tryRecv());
        }
        assertThat(got).containsExactly(0, 1, 2, 3);
    }

    @Test
    void cancelledWaitingSendLeavesTheQueueAndIsNotDelivered() {
        var ch = Mpsc.<Integer>bounded(1);
        var w = new ChannelTestWaker();
        ch.tx().trySend(0);
        Future<Void> a = ch.tx().send(1);
        Future<Void> b = ch.tx().send(2);
        w.poll(a);
        w.poll(b);
        a.cancel();
        assertThat(ch.rx().tryRecv()).isEqualTo(0);
        assertThat(w.poll(b).isReady()).isTrue();
        assertThat(ch.rx().tryRecv()).isEqualTo(2);
        assertThat(ch.rx().tryRecv()).isNull();
    }

    @Test
    void cancelledGrantedSendGivesItsSlotToTheNextWaiter() {
        var ch = Mpsc.<Integer>bounded(1);
        var w = new ChannelTestWaker();
        ch.tx().trySend(0);
        Future<Void> a = ch.tx().send(1);
        Future<Void> b = ch.tx().send(2);
        w.poll(a);
        w.poll(b);
        assertThat(ch.rx().tryRecv()).isEqualTo(0); // slot granted to a
        a.cancel(); // ... which gives it back: b gets it
        assertThat(w.poll(b).isReady()).isTrue();
        assertThat(ch.rx().tryRecv()).isEqualTo(2);
        assertThat(ch.tx().trySend(3)).isTrue();
    }

    @Test
    void receiverSeesTheEndOnlyAfterTheLastSenderCloses() {
        var ch = Mpsc.<Integer>unbounded();
        var w = new ChannelTestWaker();
        Mpsc.Sender<Integer> second = ch.tx().clone();
        ch.tx().trySend(1);
        second.trySend(2);
        ch.tx().close();
        ch.tx().close(); // idempotent: must not count twice
        assertThat(w.poll(ch.rx().recv()).value()).isEqualTo(1);
        assertThat(w.poll(ch.rx().recv()).value()).isEqualTo(2);
        assertThat(w.poll(ch.rx().recv()).isPending()).isTrue();
        assertThat(ch.rx().isDrained()).isFalse();
        second.close();
        assertThat(w.wakes()).as("the last close wakes the parked receiver").isEqualTo(1);
        Poll<Integer> end = w.poll(ch.rx().recv());
        assertThat(end.isReady()).isTrue();
        assertThat(end.value()).isNull();
        assertThat(ch.rx().isDrained()).isTrue();
        assertThat(w.poll(ch.rx().recv()).value()).as("the end is sticky").isNull();
    }

    @Test
    void sendOnClosedChannelHandsTheMessageBack() {
        var ch = Mpsc.<String>bounded(4);
        ch.tx().trySend("kept");
        ch.rx().close();
        assertThat(ch.tx().isClosed()).isTrue();
        assertThatThrownBy(() -> ch.tx().trySend("lost"))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((String) e.value()).isEqualTo("lost"))
                .hasMessageContaining("closed");
        var w = new ChannelTestWaker();
        assertThatThrownBy(() -> w.poll(ch.tx().send("also")))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((String) e.value()).isEqualTo("also"));
        assertThat(ch.rx().tryRecv()).as("what was sent before the close is still received").isEqualTo("kept");
        assertThat(w.poll(ch.rx().recv()).value()).isNull();
    }

    @Test
    void sendThroughAClosedHandleFailsWithTheMessage() {
        var ch = Mpsc.<String>unbounded();
        Mpsc.Sender<String> other = ch.tx().clone();
        ch.tx().close();
        assertThatThrownBy(() -> ch.tx().send("x"))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((String) e.value()).isEqualTo("x"));
        assertThatThrownBy(() -> ch.tx().clone()).isInstanceOf(IllegalStateException.class);
        assertThat(other.trySend("y")).isTrue();
    }

    @Test
    void receiverCloseFailsWaitingSendersAndWakesThem() {
        var ch = Mpsc.<Integer>bounded(1);
        var w = new ChannelTestWaker();
        ch.tx().trySend(1);
        Future<Void> waiting = ch.tx().send(2);
        assertThat(w.poll(waiting).isPending()).isTrue();
        ch.rx().close();
        assertThat(w.wakes()).isEqualTo(1);
        assertThatThrownBy(() -> w.poll(waiting))
                .isInstanceOfSatisfying(ChannelClosedException.class, e -> assertThat((Integer) e.value()).isEqualTo(2));
        assertThat(ch.rx().tryRecv()).isEqualTo(1);
        assertThat(ch.rx().isDrained()).isTrue();
    }

    @Test
    void recvManyTakesABatchInOrderAndZeroAtTheEnd() {
        var ch = Mpsc.<Integer>bounded(8);
        var w = new ChannelTestWaker();
        for (int i = 0; i < 5; i++) {
            ch.tx().trySend(i);
        }
        List<Integer> into = new ArrayList<>();
        assertThat(w.poll(ch.rx().recvMany(into, 3)).value()).isEqualTo(3);
        assertThat(w.poll(ch.rx().recvMany(into, 10)).value()).isEqualTo(2);
        assertThat(into).containsExactly(0, 1, 2, 3, 4);
        Future<Integer> empty = ch.rx().recvMany(into, 10);
        assertThat(w.poll(empty).isPending()).isTrue();
        ch.tx().trySend(5);
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(w.poll(empty).value()).isEqualTo(1);
        ch.tx().close();
        assertThat(w.poll(ch.rx().recvMany(into, 10)).value()).isZero();
        assertThat(into).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void unboundedCrossesManyChunksInOrder() {
        var ch = Mpsc.<Integer>unbounded();
        int n = MpscChunkedBuffer.CHUNK * 10 + 7;
        for (int i = 0; i < n; i++) {
            ch.tx().trySend(i);
        }
        for (int i = 0; i < n; i++) {
            assertThat(ch.rx().tryRecv()).isEqualTo(i);
        }
        assertThat(ch.rx().tryRecv()).isNull();
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> Mpsc.bounded(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        var ch = Mpsc.<String>bounded(1);
        assertThatThrownBy(() -> ch.tx().send(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("message");
        assertThatThrownBy(() -> ch.tx().trySend(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("message");
        assertThatThrownBy(() -> ch.rx().recvMany(new ArrayList<>(), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> ch.rx().recvMany(null, 1)).isInstanceOf(NullPointerException.class).hasMessageContaining("into");
    }

    @Test
    void cancelledReceiveWithdrawsItsWaker() {
        var ch = Mpsc.<Integer>bounded(2);
        var w = new ChannelTestWaker();
        assertThat(w.poll(ch.rx().recv()).isPending()).isTrue();
        ch.rx().recv().cancel();
        ch.tx().trySend(7);
        assertThat(w.wakes()).as("a cancelled receive is not woken").isZero();
        assertThat(w.poll(ch.rx().recv()).value()).as("and lost nothing").isEqualTo(7);
    }

    @Test
    void receiverIsWokenOncePerParkNotPerMessage() {
        var ch = Mpsc.<Integer>bounded(16);
        var w = new ChannelTestWaker();
        assertThat(w.poll(ch.rx().recv()).isPending()).isTrue();
        for (int i = 0; i < 10; i++) {
            ch.tx().trySend(i);
        }
        assertThat(w.wakes()).isEqualTo(1);
    }

    @Test
    void tasksExchangeThroughABoundedChannelWithBackPressure() {
        long sum = Eventide.run(() -> {
            var ch = Mpsc.<Long>bounded(4);
            Mpsc.Sender<Long> tx2 = ch.tx().clone();
            Eventide.spawn(() -> {
                try (var tx = ch.tx()) {
                    for (long i = 0; i < 2_000; i++) {
                        tx.send(i).await();
                    }
                }
            });
            Eventide.spawn(() -> {
                try (tx2) {
                    for (long i = 0; i < 2_000; i++) {
                        tx2.send(i).await();
                    }
                }
            });
            long s = 0;
            for (Long v; (v = ch.rx().recv().await()) != null; ) {
                s += v;
            }
            return s;
        });
        assertThat(sum).isEqualTo(2 * (1_999L * 2_000 / 2));
    }

    @Test
    void aReceiverThatNeverWaitsStillLetsOtherTasksRun() {
        try (Eventide rt = Eventide.currentThread()) {
            int receivedBeforeOtherRan = rt.blockOn(() -> {
                var ch = Mpsc.<Integer>unbounded();
                for (int i = 0; i < 1_000; i++) {
                    ch.tx().send(i).await(); // never waits: room is unbounded
                }
                AtomicReference<Boolean> ran = new AtomicReference<>(false);
                Eventide.spawn(() -> ran.set(true));
                int n = 0;
                while (!ran.get() && n < 1_000) {
                    ch.rx().recv().await();
                    n++;
                }
                return n;
            });
            assertThat(receivedBeforeOtherRan)
                    .as("the coop budget made the receiver yield before it drained the channel")
                    .isLessThan(1_000);
        }
    }

    @Test
    void blockingVariantsWorkFromPlainThreads() throws Exception {
        var ch = Mpsc.<Integer>bounded(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread producer = Thread.ofPlatform().start(() -> {
            try (var tx = ch.tx()) {
                for (int i = 0; i < 1000; i++) {
                    tx.blockingSend(i);
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.countDown();
            }
        });
        int expected = 0;
        for (Integer v; (v = ch.rx().blockingRecv()) != null; ) {
            assertThat(v).isEqualTo(expected++);
        }
        done.await();
        producer.join();
        assertThat(failure.get()).isNull();
        assertThat(expected).isEqualTo(1000);
    }

    @Test
    void blockingRecvFromARuntimeThreadIsRefused() {
        var ch = Mpsc.<Integer>bounded(2);
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            JoinHandle<Object> h = rt.handle().spawn(() -> {
                try {
                    return ch.rx().blockingRecv();
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(h.join()).isInstanceOf(IllegalStateException.class);
        }
    }
}
