package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BarrierTest {

    @Test
    void releasesEveryoneWhenTheLastArrivesWithOneLeader() {
        Barrier b = new Barrier(3);
        CountingWaker w1 = new CountingWaker();
        CountingWaker w2 = new CountingWaker();
        Future<Boolean> a1 = b.arrive();
        Future<Boolean> a2 = b.arrive();
        assertThat(w1.poll(a1).isPending()).isTrue();
        assertThat(w2.poll(a2).isPending()).isTrue();
        assertThat(b.arrived()).isEqualTo(2);
        assertThat(new CountingWaker().poll(b.arrive()).value()).as("the last arrival leads").isTrue();
        assertThat(w1.wakes()).isEqualTo(1);
        assertThat(w2.wakes()).isEqualTo(1);
        assertThat(w1.poll(a1).value()).isFalse();
        assertThat(w2.poll(a2).value()).isFalse();
        assertThat(b.arrived()).as("the barrier reset for the next round").isZero();
    }

    @Test
    void aCancelledArrivalIsWithdrawn() {
        Barrier b = new Barrier(2);
        CountingWaker w = new CountingWaker();
        Future<Boolean> a1 = b.arrive();
        assertThat(w.poll(a1).isPending()).isTrue();
        a1.cancel();
        assertThat(b.arrived()).isZero();
        Future<Boolean> a2 = b.arrive();
        assertThat(w.poll(a2).isPending()).as("one arrival is not enough any more").isTrue();
        assertThat(w.poll(b.arrive()).value()).isTrue();
        assertThat(w.poll(a2).value()).isFalse();
    }

    @Test
    void badPartiesAreRefused() {
        assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parties");
        assertThat(new CountingWaker().poll(new Barrier(1).arrive()).value()).isTrue();
    }

    @Test
    void tasksMeetRoundAfterRound() {
        int parties = 8;
        int rounds = 50;
        Barrier b = new Barrier(parties);
        AtomicInteger leaders = new AtomicInteger();
        AtomicInteger[] progress = new AtomicInteger[rounds];
        for (int i = 0; i < rounds; i++) {
            progress[i] = new AtomicInteger();
        }
        AtomicInteger early = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int p = 0; p < parties; p++) {
                    hs.add(Eventide.spawn(() -> {
                        for (int r = 0; r < rounds; r++) {
                            progress[r].incrementAndGet();
                            if (b.arrive().await()) {
                                leaders.incrementAndGet();
                            }
                            if (progress[r].get() != parties) {
                                early.incrementAndGet(); // passed the barrier before all arrived
                            }
                        }
                    }));
                }
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return null;
            });
        }
        assertThat(early.get()).isZero();
        assertThat(leaders.get()).isEqualTo(rounds);
    }
}
