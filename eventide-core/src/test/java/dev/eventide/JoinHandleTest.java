package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JoinHandle: values, failures and cancellations, and how each reaches whoever joins. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JoinHandleTest {
    private Eventide rt;

    @BeforeEach
    void start() {
        rt = Eventide.builder().workerThreads(2).build();
    }

    @AfterEach
    void stop() {
        rt.close();
    }

    /** A future that stays pending until {@link #complete}, and records whether it was cancelled. */
    static final class Gate<T> implements Future<T> {
        private volatile T value;
        private volatile boolean done;
        private volatile Waker waker;
        final AtomicBoolean cancelled = new AtomicBoolean();
        final CountDownLatch polled = new CountDownLatch(1);

        @Override
        public Poll<T> poll(Context cx) {
            waker = cx.waker();
            polled.countDown();
            return done ? Poll.ready(value) : Poll.pending();
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        void complete(T v) {
            value = v;
            done = true;
            Waker w = waker;
            if (w != null) {
                w.wake();
            }
        }
    }

    @Test
    void valuesReachEveryKindOfJoiner() throws Exception {
        JoinHandle<String> h = rt.handle().spawn(() -> "v");
        assertThat(h.join()).isEqualTo("v");
        assertThat(h.await()).isEqualTo("v");
        assertThat(h.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("v");
        assertThat(rt.blockOn(() -> h.await())).isEqualTo("v");
        assertThat(h.isFinished()).isTrue();
        assertThat(h.isCancelled()).isFalse();
    }

    @Test
    void aFailureIsDistinguishableFromACancellation() throws Exception {
        JoinHandle<Object> failed = rt.handle().spawn(() -> {
            throw new IOException("disk on fire");
        });
        assertThatThrownBy(failed::join).isInstanceOf(TaskFailedException.class)
                .hasCauseInstanceOf(IOException.class).cause().hasMessage("disk on fire");
        assertThat(failed.isCancelled()).isFalse();
        assertThatThrownBy(() -> failed.toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);

        Gate<String> gate = new Gate<>();
        JoinHandle<String> aborted = rt.handle().spawn(() -> gate.await());
        gate.polled.await();
        aborted.abort();
        assertThatThrownBy(aborted::join).isInstanceOf(CancelledException.class);
        assertThat(aborted.isCancelled()).isTrue();
        CompletableFuture<String> cf = aborted.toCompletableFuture();
        assertThat(cf.isCancelled()).isTrue();
        assertThatThrownBy(() -> cf.get()).isInstanceOf(CancellationException.class);
    }

    @Test
    void abortMakesThePendingAwaitThrowSoFinallyRuns() throws Exception {
        Gate<String> gate = new Gate<>();
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicBoolean afterAwait = new AtomicBoolean();
        JoinHandle<String> h = rt.handle().spawn(() -> {
            try {
                String v = gate.await();
                afterAwait.set(true);
                return v;
            } finally {
                finallyRan.set(true);
            }
        });
        gate.polled.await();
        h.abort();
        assertThatThrownBy(h::join).isInstanceOf(CancelledException.class);
        assertThat(finallyRan).isTrue();
        assertThat(afterAwait).isFalse();
        assertThat(gate.cancelled).as("the awaited future was cancelled (its wakers released)").isTrue();
    }

    @Test
    void everyAwaitOfAnAbortedBlockThrows() {
        Gate<String> gate = new Gate<>();
        AtomicInteger thrown = new AtomicInteger();
        JoinHandle<String> h = rt.handle().spawn(() -> {
            try {
                return gate.await();
            } catch (CancelledException first) {
                thrown.incrementAndGet();
                try {
                    return Future.ready("second").await();
                } catch (CancelledException second) {
                    thrown.incrementAndGet();
                    return "swallowed";
                }
            }
        });
        rt.blockOn(() -> {
            while (gate.waker == null) {
                Eventide.yieldNow().await();
            }
            h.abort();
            return null;
        });
        assertThatThrownBy(h::join).as("a block that swallows cancellation still ends cancelled")
                .isInstanceOf(CancelledException.class);
        assertThat(thrown.get()).isEqualTo(2);
    }

    @Test
    void aTaskAbortedBeforeItStartsNeverRuns() {
        try (Eventide single = Eventide.currentThread()) {
            AtomicBoolean ran = new AtomicBoolean();
            JoinHandle<Void> h = single.handle().spawn(() -> ran.set(true));
            h.abort(); // nobody drives the runtime yet
            single.blockOn(() -> Eventide.yieldNow().await());
            assertThat(ran).isFalse();
            assertThat(h.isCancelled()).isTrue();
        }
    }

    @Test
    void abortingAPollBasedFutureCallsCancel() throws Exception {
        Gate<String> gate = new Gate<>();
        JoinHandle<String> h = rt.handle().spawn(gate);
        gate.polled.await();
        h.abort();
        assertThatThrownBy(h::join).isInstanceOf(CancelledException.class);
        assertThat(gate.cancelled).isTrue();
    }

    @Test
    void abortAfterCompletionChangesNothing() {
        JoinHandle<Integer> h = rt.handle().spawn(() -> 5);
        assertThat(h.join()).isEqualTo(5);
        h.abort();
        assertThat(h.isCancelled()).isFalse();
        assertThat(h.join()).isEqualTo(5);
    }

    @Test
    void manyJoinersOfOneTaskAreAllWoken() {
        Gate<Integer> gate = new Gate<>();
        JoinHandle<Integer> target = rt.handle().spawn(gate);
        int sum = rt.blockOn(() -> {
            var joiners = new java.util.ArrayList<JoinHandle<Integer>>();
            for (int i = 0; i < 50; i++) {
                joiners.add(Eventide.spawn(() -> target.await()));
            }
            Eventide.yieldNow().await();
            gate.complete(3);
            int s = 0;
            for (JoinHandle<Integer> j : joiners) {
                s += j.await();
            }
            return s;
        });
        assertThat(sum).isEqualTo(150);
    }

    @Test
    void blockingJoinOnAWorkerIsRefused() {
        JoinHandle<Integer> inner = rt.handle().spawn(() -> 1);
        JoinHandle<Integer> h = rt.handle().spawn((Future<Integer>) cx -> Poll.ready(inner.join()));
        assertThatThrownBy(h::join).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("join() blocks the calling thread");
    }

    @Test
    void aThrowingTaskDoesNotTakeItsWorkerDown() {
        for (int i = 0; i < 100; i++) {
            JoinHandle<Object> h = rt.handle().spawn(() -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(h::join).isInstanceOf(TaskFailedException.class);
            JoinHandle<Object> err = rt.handle().spawn((Future<Object>) cx -> {
                throw new StackOverflowError("simulated");
            });
            assertThatThrownBy(err::join).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(StackOverflowError.class);
        }
        assertThat(rt.blockOn(() -> 42)).isEqualTo(42);
    }

    @Test
    void blockOnRethrowsUncheckedExceptionsAsTheyAre() {
        assertThatThrownBy(() -> rt.blockOn(() -> {
            throw new IllegalArgumentException("bad");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
        assertThatThrownBy(() -> rt.blockOn(() -> {
            throw new IOException("checked");
        })).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class);
    }
}
