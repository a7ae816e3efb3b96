package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelectTest {

    /** A future that completes when told to, and records cancellation. */
    static final class Probe<T> implements Future<T> {
        volatile Poll<T> result = Poll.pending();
        RuntimeException failure;
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public Poll<T> poll(Context cx) {
            polls.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }

    @Test
    void theFirstReadyWinsAndTheOthersAreCancelled() {
        Probe<String> a = new Probe<>();
        Probe<String> b = new Probe<>();
        Probe<String> c = new Probe<>();
        Future<Selected<String>> s = Select.select(a, b, c);
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(s).isPending()).isTrue();
        b.result = Poll.ready("b");
        Selected<String> won = w.poll(s).value();
        assertThat(won).isEqualTo(new Selected<>(1, "b"));
        assertThat(a.cancels.get()).isEqualTo(1);
        assertThat(c.cancels.get()).isEqualTo(1);
        assertThat(b.cancels.get()).isZero();
    }

    @Test
    void selectIsFairBetweenAlwaysReadyFutures() {
        int[] wins = new int[3];
        for (int i = 0; i < 600; i++) {
            Selected<Integer> s = new CountingWaker()
                    .poll(Select.select(Future.ready(0), Future.ready(1), Future.ready(2))).value();
            wins[s.index()]++;
        }
        for (int i = 0; i < 3; i++) {
            assertThat(wins[i]).as("wins of future %d", i).isGreaterThan(100);
        }
    }

    @Test
    void biasedPrefersTheFirstReady() {
        for (int i = 0; i < 50; i++) {
            Probe<Integer> notReady = new Probe<>();
            Selected<Integer> s = new CountingWaker()
                    .poll(Select.biased(notReady, Future.ready(1), Future.ready(2))).value();
            assertThat(s.index()).isEqualTo(1);
            assertThat(notReady.cancels.get()).isEqualTo(1);
        }
    }

    @Test
    void aFailureFailsTheSelectAndCancelsTheRest() {
        Probe<String> a = new Probe<>();
        Probe<String> b = new Probe<>();
        b.failure = new IllegalStateException("b failed");
        Future<Selected<String>> s = Select.biased(a, b);
        assertThatThrownBy(() -> new CountingWaker().poll(s)).hasMessage("b failed");
        assertThat(a.cancels.get()).isEqualTo(1);
        assertThat(b.cancels.get()).isZero();
    }

    @Test
    void cancellingTheSelectCancelsEveryFuture() {
        Probe<String> a = new Probe<>();
        Probe<String> b = new Probe<>();
        Future<Selected<String>> s = Select.select(List.of(a, b));
        assertThat(new CountingWaker().poll(s).isPending()).isTrue();
        s.cancel();
        s.cancel();
        assertThat(a.cancels.get()).isEqualTo(1);
        assertThat(b.cancels.get()).isEqualTo(1);
    }

    @Test
    void selectOverNothingIsRefused() {
        assertThatThrownBy(() -> Select.select(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("futures");
        assertThatThrownBy(() -> Select.select(Future.ready(1), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("futures[1]");
    }

    @Test
    void raceSkipsFailuresUntilOneSucceeds() {
        Probe<String> failing = new Probe<>();
        failing.failure = new IllegalStateException("no");
        Probe<String> slow = new Probe<>();
        Probe<String> other = new Probe<>();
        Future<String> r = Select.race(failing, slow, other);
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(r).isPending()).isTrue();
        slow.result = Poll.ready("slow");
        assertThat(w.poll(r).value()).isEqualTo("slow");
        assertThat(other.cancels.get()).isEqualTo(1);
        assertThat(failing.polls.get()).as("a failed future is not polled again").isEqualTo(1);
    }

    @Test
    void raceFailsWhenAllFail() {
        Probe<String> a = new Probe<>();
        Probe<String> b = new Probe<>();
        a.failure = new IllegalStateException("a");
        b.failure = new IllegalArgumentException("b");
        assertThatThrownBy(() -> new CountingWaker().poll(Select.race(a, b)))
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }
}
