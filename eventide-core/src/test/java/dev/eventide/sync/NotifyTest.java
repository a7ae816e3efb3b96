package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NotifyTest {

    @Test
    void notifyOneBeforeWaitingStoresOnePermit() {
        Notify n = new Notify();
        CountingWaker w = new CountingWaker();
        n.notifyOne();
        n.notifyOne(); // permits do not accumulate
        assertThat(w.poll(n.notified()).isReady()).isTrue();
        assertThat(w.poll(n.notified()).isPending()).isTrue();
    }

    @Test
    void notifyOneWakesWaitersInArrivalOrder() {
        Notify n = new Notify();
        List<CountingWaker> wakers = new ArrayList<>();
        List<Future<Void>> waits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CountingWaker w = new CountingWaker();
            Future<Void> f = n.notified();
            assertThat(w.poll(f).isPending()).isTrue();
            wakers.add(w);
            waits.add(f);
        }
        for (int i = 0; i < 3; i++) {
            n.notifyOne();
            for (int j = 0; j < 3; j++) {
                assertThat(wakers.get(j).wakes()).isEqualTo(j <= i ? 1 : 0);
            }
            assertThat(wakers.get(i).poll(waits.get(i)).isReady()).isTrue();
        }
        CountingWaker later = new CountingWaker();
        assertThat(later.poll(n.notified()).isPending()).as("no permit was stored while waiters existed").isTrue();
    }

    @Test
    void notifyWaitersWakesAllIncludingUnpolledFuturesButStoresNoPermit() {
        Notify n = new Notify();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Void> polled = n.notified();
        Future<Void> created = n.notified();
        assertThat(a.poll(polled).isPending()).isTrue();
        n.notifyWaiters();
        assertThat(a.wakes()).isEqualTo(1);
        assertThat(a.poll(polled).isReady()).isTrue();
        assertThat(b.poll(created).isReady()).as("created before notifyWaiters").isTrue();
        assertThat(b.poll(n.notified()).isPending()).as("created after: waits").isTrue();
    }

    @Test
    void aCancelledWaiterPassesItsNotificationOn() {
        Notify n = new Notify();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Void> fa = n.notified();
        Future<Void> fb = n.notified();
        assertThat(a.poll(fa).isPending()).isTrue();
        assertThat(b.poll(fb).isPending()).isTrue();
        n.notifyOne(); // chooses fa
        fa.cancel();
        assertThat(b.wakes()).isEqualTo(1);
        assertThat(b.poll(fb).isReady()).isTrue();
    }

    @Test
    void aCancelledLoneWaiterLeavesThePermitStored() {
        Notify n = new Notify();
        CountingWaker a = new CountingWaker();
        Future<Void> fa = n.notified();
        assertThat(a.poll(fa).isPending()).isTrue();
        n.notifyOne();
        fa.cancel();
        assertThat(a.poll(n.notified()).isReady()).isTrue();
    }

    @Test
    void aCancelledWaiterIsUnlinked() {
        Notify n = new Notify();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Void> fa = n.notified();
        Future<Void> fb = n.notified();
        assertThat(a.poll(fa).isPending()).isTrue();
        assertThat(b.poll(fb).isPending()).isTrue();
        fa.cancel();
        n.notifyOne();
        assertThat(a.wakes()).isZero();
        assertThat(b.poll(fb).isReady()).isTrue();
    }

    @Test
    void pingPongBetweenTasksLosesNoNotification() {
        Notify ping = new Notify();
        Notify pong = new Notify();
        int rounds = 2_000;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int got = rt.blockOn(() -> {
                JoinHandle<Integer> other = Eventide.spawn(() -> {
                    for (int i = 0; i < rounds; i++) {
                        ping.notified().await();
                        pong.notifyOne();
                    }
                    return rounds;
                });
                for (int i = 0; i < rounds; i++) {
                    ping.notifyOne();
                    pong.notified().await();
                }
                return other.await();
            });
            assertThat(got).isEqualTo(rounds);
        }
    }

    /**
     * Waiters whose waits keep being cancelled (each wait races a yield in a select) must still
     * receive every notification: a notifyOne that lands on a cancelled waiter is passed on.
     */
    @Test
    void randomlyCancelledWaitsLoseNoNotification() {
        int pairs = 8;
        int rounds = 300;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int total = rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int p = 0; p < pairs; p++) {
                    Notify signal = new Notify();
                    Notify ack = new Notify();
                    hs.add(Eventide.spawn(() -> {
                        int received = 0;
                        while (received < rounds) {
                            if (Select.<Void>select(signal.notified(), Eventide.yieldNow()).await().index() == 0) {
                                received++;
                                ack.notifyOne();
                            }
                        }
                        return received;
                    }));
                    hs.add(Eventide.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            signal.notifyOne();
                            ack.notified().await();
                        }
                        return 0;
                    }));
                }
                int sum = 0;
                for (JoinHandle<Integer> h : hs) {
                    sum += h.await();
                }
                return sum;
            });
            assertThat(total).isEqualTo(pairs * rounds);
        }
    }
}
