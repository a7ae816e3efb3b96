package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutTest {

    private static Eventide paused() {
        return Eventide.builder().currentThread().startPaused(true).build();
    }

    /** A future that counts its cancellations and never completes. */
    private static final class Never<T> implements Future<T> {
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public Poll<T> poll(Context cx) {
            return Poll.pending();
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }

    @Test
    void aTaskThatFinishesJustBeforeTheDeadlineWins() {
        try (Eventide rt = paused()) {
            String v = rt.blockOn(() -> {
                JoinHandle<String> h = Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMillis(999)).await();
                    return "done";
                });
                Instant t0 = Time.now();
                String r = Time.timeout(Duration.ofSeconds(1), h).await();
                assertThat(Duration.between(t0, Time.now())).isEqualTo(Duration.ofMillis(999));
                return r;
            });
            assertThat(v).isEqualTo("done");
        }
    }

    @Test
    void aTaskThatFinishesJustAfterTheDeadlineTimesOutAndIsCancelled() {
        try (Eventide rt = paused()) {
            rt.blockOn(() -> {
                JoinHandle<String> h = Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMillis(1001)).await();
                    return "done";
                });
                Instant t0 = Time.now();
                assertThatThrownBy(() -> Time.timeout(Duration.ofSeconds(1), h).await())
                        .isInstanceOf(TimeoutExpiredException.class)
                        .hasMessageContaining("PT1S")
                        .satisfies(e -> assertThat(((TimeoutExpiredException) e).timeout())
                                .isEqualTo(Duration.ofSeconds(1)));
                assertThat(Duration.between(t0, Time.now())).isEqualTo(Duration.ofSeconds(1));
                // The inner future (the join handle) was cancelled; the task itself runs on, as
                // tokio's JoinHandle drop does: it finishes at 1001 ms.
                assertThat(h.await()).isEqualTo("done");
                assertThat(Duration.between(t0, Time.now())).isEqualTo(Duration.ofMillis(1001));
            });
        }
    }

    @Test
    void onTimeoutTheInnerFutureIsCancelledOnce() {
        try (Eventide rt = paused()) {
            Never<Integer> inner = new Never<>();
            rt.blockOn(() -> {
                assertThatThrownBy(() -> Time.timeout(Duration.ofHours(1), inner).await())
                        .isInstanceOf(TimeoutExpiredException.class);
            });
            assertThat(inner.cancels.get()).isEqualTo(1);
        }
    }

    @Test
    void aReadyInnerFutureWinsEvenWithAZeroTimeout() {
        try (Eventide rt = paused()) {
            int v = rt.blockOn(() -> Time.timeout(Duration.ZERO, Future.ready(7)).await());
            assertThat(v).isEqualTo(7);
            Never<Integer> inner = new Never<>();
            rt.blockOn(() -> {
                assertThatThrownBy(() -> Time.timeout(Duration.ofMillis(-1), inner).await())
                        .isInstanceOf(TimeoutExpiredException.class);
            });
            assertThat(inner.cancels.get()).isEqualTo(1);
        }
    }

    @Test
    void cancellingTheTimeoutCancelsTheInnerFuture() {
        try (Eventide rt = paused()) {
            Never<Integer> inner = new Never<>();
            rt.blockOn(() -> {
                JoinHandle<Integer> h = Eventide.spawn(() -> Time.timeout(Duration.ofHours(1), inner).await());
                Eventide.yieldNow().await();
                h.abort();
                Time.sleep(Duration.ofHours(2)).await();
                assertThat(h.isCancelled()).isTrue();
            });
            assertThat(inner.cancels.get()).isEqualTo(1);
        }
    }

    @Test
    void aFailingInnerFutureFailsTheTimeout() {
        try (Eventide rt = paused()) {
            rt.blockOn(() -> {
                Future<Integer> boom = cx -> {
                    throw new IllegalArgumentException("boom");
                };
                assertThatThrownBy(() -> Time.timeout(Duration.ofSeconds(1), boom).await())
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
                // The timer was released: the runtime is idle with nothing pending.
                Time.sleep(Duration.ofSeconds(5)).await();
            });
        }
    }

    @Test
    void timeoutOnTheRealClock() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                Never<Integer> inner = new Never<>();
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> Time.timeout(Duration.ofMillis(50), inner).await())
                        .isInstanceOf(TimeoutExpiredException.class);
                assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
                assertThat(inner.cancels.get()).isEqualTo(1);
                int v = Time.timeout(Duration.ofSeconds(10), Eventide.spawn(() -> {
                    Time.sleep(Duration.ofMillis(5)).await();
                    return 3;
                })).await();
                assertThat(v).isEqualTo(3);
            });
        }
    }

    @Test
    void timeoutAtUsesTheDeadline() {
        try (Eventide rt = paused()) {
            rt.blockOn(() -> {
                Instant t0 = Time.now();
                Instant deadline = t0.plusSeconds(90);
                assertThatThrownBy(() -> Time.timeoutAt(deadline, new Never<Void>()).await())
                        .isInstanceOf(TimeoutExpiredException.class);
                assertThat(Time.now()).isEqualTo(deadline);
            });
        }
    }
}
