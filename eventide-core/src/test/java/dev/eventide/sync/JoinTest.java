package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.sync.SelectTest.Probe;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JoinTest {

    @Test
    void joinPairsBothValues() {
        Probe<String> a = new Probe<>();
        Future<Join.Pair<String, Integer>> j = Join.join(a, Future.ready(2));
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(j).isPending()).isTrue();
        a.result = Poll.ready("a");
        assertThat(w.poll(j).value()).isEqualTo(new Join.Pair<>("a", 2));
    }

    @Test
    void joinAllKeepsArgumentOrderAndPollsFinishedFuturesOnce() {
        Probe<Integer> a = new Probe<>();
        Probe<Integer> b = new Probe<>();
        Future<List<Integer>> j = Join.joinAll(List.of(a, b, Future.ready(3)));
        CountingWaker w = new CountingWaker();
        b.result = Poll.ready(2);
        assertThat(w.poll(j).isPending()).isTrue();
        a.result = Poll.ready(1);
        assertThat(w.poll(j).value()).containsExactly(1, 2, 3);
        assertThat(b.polls.get()).isEqualTo(1);
        assertThat(new CountingWaker().poll(Join.joinAll(List.<Future<Integer>>of())).value()).isEmpty();
    }

    @Test
    void joinAllWaitsForEveryoneThenReportsTheFirstFailure() {
        Probe<Integer> failing = new Probe<>();
        failing.failure = new IllegalStateException("first");
        Probe<Integer> slow = new Probe<>();
        Future<List<Integer>> j = Join.joinAll(List.of(failing, slow));
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(j).isPending()).isTrue();
        assertThat(slow.cancels.get()).isZero();
        slow.result = Poll.ready(1);
        assertThatThrownBy(() -> w.poll(j)).hasMessage("first");
    }

    @Test
    void tryJoinFailsFastAndCancelsTheRest() {
        Probe<Integer> slow = new Probe<>();
        Probe<Integer> failing = new Probe<>();
        Future<List<Integer>> j = Join.tryJoin(List.of(slow, failing));
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(j).isPending()).isTrue();
        failing.failure = new IllegalStateException("boom");
        assertThatThrownBy(() -> w.poll(j)).hasMessage("boom");
        assertThat(slow.cancels.get()).isEqualTo(1);
    }

    @Test
    void cancellingAJoinCancelsWhatIsStillRunning() {
        Probe<Integer> a = new Probe<>();
        Probe<Integer> b = new Probe<>();
        b.result = Poll.ready(1);
        Future<List<Integer>> j = Join.joinAll(List.of(a, b));
        assertThat(new CountingWaker().poll(j).isPending()).isTrue();
        j.cancel();
        assertThat(a.cancels.get()).isEqualTo(1);
        assertThat(b.cancels.get()).as("completed futures are not cancelled").isZero();
    }

    @Test
    void joinsInterleaveAsyncWorkInOneTask() {
        int sum = Eventide.run(() -> {
            Notify n = new Notify();
            List<Integer> values = Join.joinAll(List.<Future<Integer>>of(
                    cx -> Poll.ready(1),
                    Eventide.spawn(() -> {
                        n.notified().await();
                        return 2;
                    }),
                    Eventide.spawn(() -> {
                        n.notifyOne();
                        return 3;
                    }))).await();
            return values.stream().mapToInt(Integer::intValue).sum();
        });
        assertThat(sum).isEqualTo(6);
    }
}
