package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OnceCellTest {

    @Test
    void setOnlyOnce() {
        OnceCell<String> c = new OnceCell<>();
        assertThat(c.get()).isNull();
        assertThat(c.isInitialized()).isFalse();
        assertThat(c.set("a")).isTrue();
        assertThat(c.set("b")).isFalse();
        assertThat(c.get()).isEqualTo("a");
        assertThat(new CountingWaker().poll(c.getOrInit(() -> Future.ready("c"))).value()).isEqualTo("a");
        assertThatThrownBy(() -> c.set(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("newValue");
    }

    @Test
    void concurrentCallersRunTheInitialiserOnce() {
        OnceCell<Integer> c = new OnceCell<>();
        AtomicInteger runs = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<Integer> seen = rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int mine = i;
                    hs.add(Eventide.spawn(() -> c.getOrInit(() -> Eventide.spawn(() -> {
                        runs.incrementAndGet();
                        Eventide.yieldNow().await(); // the others arrive meanwhile and wait
                        return mine;
                    })).await()));
                }
                List<Integer> values = new ArrayList<>();
                for (JoinHandle<Integer> h : hs) {
                    values.add(h.await());
                }
                return values;
            });
            assertThat(runs.get()).isEqualTo(1);
            assertThat(seen).containsOnly(c.get());
        }
    }

    @Test
    void concurrentBlocksRunTheInlineInitialiserOnce() {
        OnceCell<String> c = new OnceCell<>();
        AtomicInteger runs = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            List<String> seen = rt.blockOn(() -> {
                List<JoinHandle<String>> hs = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    hs.add(Eventide.spawn(() -> c.getOrInitWith(() -> {
                        runs.incrementAndGet();
                        Eventide.yieldNow().await();
                        return "v";
                    })));
                }
                List<String> values = new ArrayList<>();
                for (JoinHandle<String> h : hs) {
                    values.add(h.await());
                }
                return values;
            });
            assertThat(runs.get()).isEqualTo(1);
            assertThat(seen).hasSize(30).containsOnly("v");
        }
    }

    @Test
    void aFailedInitialiserLeavesTheCellEmptyForTheNextCaller() {
        OnceCell<String> c = new OnceCell<>();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<String> first = c.getOrInit(() -> cx -> {
            throw new IllegalStateException("init failed");
        });
        Future<String> second = c.getOrInit(() -> Future.ready("ok"));
        assertThatThrownBy(() -> a.poll(first)).hasMessage("init failed");
        assertThat(c.isInitialized()).isFalse();
        assertThat(b.poll(second).value()).isEqualTo("ok");
    }

    @Test
    void aCancelledInitialiserHandsOverToTheNextWaiter() {
        OnceCell<String> c = new OnceCell<>();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        AtomicInteger cancelledInits = new AtomicInteger();
        Future<String> slow = new Future<>() {
            @Override
            public Poll<String> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void cancel() {
                cancelledInits.incrementAndGet();
            }
        };
        Future<String> first = c.getOrInit(() -> slow);
        Future<String> second = c.getOrInit(() -> Future.ready("second"));
        assertThat(a.poll(first).isPending()).isTrue();
        assertThat(b.poll(second).isPending()).as("waits for the running initialiser").isTrue();
        first.cancel();
        assertThat(cancelledInits.get()).isEqualTo(1);
        assertThat(b.wakes()).isEqualTo(1);
        assertThat(b.poll(second).value()).isEqualTo("second");
    }

    @Test
    void setFailsWhileAnInitialisationIsUnderWay() {
        OnceCell<String> c = new OnceCell<>();
        CountingWaker a = new CountingWaker();
        Future<String> first = c.getOrInit(() -> cx -> Poll.pending());
        assertThat(a.poll(first).isPending()).isTrue();
        assertThat(c.set("x")).isFalse();
        first.cancel();
        assertThat(c.set("x")).isTrue();
    }

    @Test
    void waitersWakeWithTheValueWhenTheInitialiserCompletes() {
        OnceCell<String> c = new OnceCell<>();
        SelectTest.Probe<String> init = new SelectTest.Probe<>();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<String> first = c.getOrInit(() -> init);
        Future<String> second = c.getOrInit(() -> Future.ready("never used"));
        assertThat(a.poll(first).isPending()).isTrue();
        assertThat(b.poll(second).isPending()).isTrue();
        init.result = Poll.ready("x");
        assertThat(a.poll(first).value()).isEqualTo("x");
        assertThat(b.wakes()).isEqualTo(1);
        assertThat(b.poll(second).value()).isEqualTo("x");
    }
}
