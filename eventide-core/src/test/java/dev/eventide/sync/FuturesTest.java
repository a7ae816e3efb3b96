package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FuturesTest {

    @Test
    void fromStageWaitsForTheStageAndWakesOnce() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> f = Futures.fromStage(cf);
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(f).isPending()).isTrue();
        assertThat(w.poll(f).isPending()).isTrue();
        cf.complete("done");
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(w.poll(f).value()).isEqualTo("done");
        assertThat(new CountingWaker().poll(Futures.fromStage(CompletableFuture.completedFuture(1))).value())
                .isEqualTo(1);
    }

    @Test
    void fromStageRethrowsFailures() {
        CountingWaker w = new CountingWaker();
        assertThatThrownBy(() -> w.poll(Futures.fromStage(CompletableFuture.failedFuture(new IllegalStateException("x")))))
                .isInstanceOf(IllegalStateException.class).hasMessage("x");
        assertThatThrownBy(() -> w.poll(Futures.fromStage(CompletableFuture.failedFuture(new IOException("io")))))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertThatThrownBy(() -> w.poll(Futures.fromStage(cancelled))).isInstanceOf(CancelledException.class);
        CompletableFuture<String> wrapped = CompletableFuture.<String>supplyAsync(() -> {
            throw new IllegalArgumentException("inner");
        }).thenApply(s -> s + "!");
        assertThatThrownBy(() -> Futures.fromStage(wrapped).await()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inner");
    }

    @Test
    void aTaskAwaitsAStageCompletedFromAnotherThread() {
        CompletableFuture<Integer> cf = new CompletableFuture<>();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            JoinHandle<Integer> h = rt.handle().spawn(() -> Futures.fromStage(cf).await() + 1);
            cf.completeAsync(() -> 41);
            assertThat(h.join()).isEqualTo(42);
        }
    }

    @Test
    void toCompletableFutureRunsTheFutureOnTheRuntime() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            CompletableFuture<String> cf = Futures.toCompletableFuture(rt.handle(), Future.ready("v"));
            assertThat(cf.get(10, TimeUnit.SECONDS)).isEqualTo("v");
            CompletableFuture<String> failed = Futures.toCompletableFuture(rt.handle(), cx -> {
                throw new IllegalStateException("bad");
            });
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("bad");
            String inside = rt.blockOn(() -> Futures.fromStage(Futures.toCompletableFuture(Future.ready("in"))).await());
            assertThat(inside).isEqualTo("in");
        }
    }

    @Test
    void cancellingTheCompletableFutureAbortsTheTask() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch unwound = new CountDownLatch(1);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            Notify never = new Notify();
            JoinHandle<Void> h = rt.handle().spawn(() -> {
                try {
                    started.countDown();
                    never.notified().await();
                } finally {
                    unwound.countDown();
                }
                return null;
            });
            CompletableFuture<Void> cf = Futures.toCompletableFuture(rt.handle(), h);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            cf.cancel(true);
            assertThat(unwound.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(h::join).isInstanceOf(CancelledException.class);
        }
    }
}
