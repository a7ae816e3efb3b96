package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.TaskFailedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JoinSetTest {

    @Test
    void joinsInTheOrderTasksFinish() {
        List<Integer> order = Eventide.run(() -> {
            Notify[] go = {new Notify(), new Notify(), new Notify()};
            try (JoinSet<Integer> set = new JoinSet<>()) {
                for (int i = 0; i < 3; i++) {
                    int k = i;
                    set.spawn(() -> {
                        go[k].notified().await();
                        return k;
                    });
                }
                assertThat(set.size()).isEqualTo(3);
                List<Integer> got = new ArrayList<>();
                for (int k : new int[] {2, 0, 1}) {
                    go[k].notifyOne();
                    got.add(set.joinNext().await());
                }
                assertThat(set.isEmpty()).isTrue();
                assertThat(set.joinNext().await()).as("empty set").isNull();
                return got;
            }
        });
        assertThat(order).containsExactly(2, 0, 1);
    }

    @Test
    void joinsManyTasks() {
        int n = 2_000;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            Set<Integer> seen = rt.blockOn(() -> {
                try (JoinSet<Integer> set = new JoinSet<>()) {
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        set.spawn(() -> {
                            Eventide.yieldNow().await();
                            return k;
                        });
                    }
                    Set<Integer> got = new HashSet<>();
                    while (!set.isEmpty()) {
                        got.add(set.joinNext().await());
                    }
                    return got;
                }
            });
            assertThat(seen).hasSize(n);
        }
    }

    @Test
    void aFailedTaskIsReportedAndLeavesTheSet() {
        Eventide.run(() -> {
            try (JoinSet<String> set = new JoinSet<>()) {
                set.spawn(() -> {
                    throw new IllegalStateException("task failed here");
                });
                assertThatThrownBy(() -> set.joinNext().await()).isInstanceOf(TaskFailedException.class)
                        .hasRootCauseMessage("task failed here");
                assertThat(set.isEmpty()).isTrue();
            }
        });
    }

    @Test
    void abortAllCancelsTheTasksWhoseOutcomesAreStillJoined() {
        Eventide.run(() -> {
            Notify never = new Notify();
            try (JoinSet<Void> set = new JoinSet<>()) {
                for (int i = 0; i < 3; i++) {
                    set.spawn(() -> {
                        never.notified().await();
                        return null;
                    });
                }
                set.abortAll();
                int cancelled = 0;
                while (!set.isEmpty()) {
                    try {
                        set.joinNext().await();
                    } catch (CancelledException expected) {
                        cancelled++;
                    }
                }
                assertThat(cancelled).isEqualTo(3);
            }
        });
    }

    @Test
    void closingAbortsWhatIsLeftAndRefusesNewTasks() throws InterruptedException {
        CountDownLatch unwound = new CountDownLatch(5);
        CountDownLatch started = new CountDownLatch(5);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            JoinSet<Void> set = new JoinSet<>(rt.handle());
            Notify never = new Notify();
            for (int i = 0; i < 5; i++) {
                set.spawn(() -> {
                    try {
                        started.countDown();
                        never.notified().await();
                    } finally {
                        unwound.countDown();
                    }
                    return null;
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            set.close();
            assertThat(unwound.await(10, TimeUnit.SECONDS)).as("every task ran its finally block").isTrue();
            assertThat(set.isEmpty()).isTrue();
            assertThatThrownBy(() -> set.spawn(() -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void aCancelledJoinNextLosesNoOutcome() {
        int n = 200;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int joined = rt.blockOn(() -> {
                try (JoinSet<Integer> set = new JoinSet<>()) {
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        set.spawn(() -> {
                            Eventide.yieldNow().await();
                            return k;
                        });
                    }
                    Set<Integer> got = new HashSet<>();
                    while (!set.isEmpty()) {
                        Selected<Object> s = Select.<Object>select(set.joinNext(), Eventide.yieldNow()).await();
                        if (s.index() == 0) {
                            got.add((Integer) s.value());
                        }
                    }
                    return got.size();
                }
            });
            assertThat(joined).isEqualTo(n);
        }
    }

    @Test
    void spawnsPollBasedFutures() {
        int v = Eventide.run(() -> {
            try (JoinSet<Integer> set = new JoinSet<>()) {
                set.spawn(Future.ready(7));
                return set.joinNext().await();
            }
        });
        assertThat(v).isEqualTo(7);
    }
}
