package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void spawnAwaitJoin() {
        int v = Eventide.run(() -> {
            JoinHandle<Integer> h = Eventide.spawn(() -> 40 + 2);
            Eventide.yieldNow().await();
            return h.await();
        });
        assertThat(v).isEqualTo(42);
    }

    @Test
    void manyTasks() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicInteger n = new AtomicInteger();
            int total = rt.blockOn(() -> {
                var hs = new java.util.ArrayList<JoinHandle<Integer>>();
                for (int i = 0; i < 100_000; i++) {
                    int k = i;
                    hs.add(Eventide.spawn(() -> { n.incrementAndGet(); Eventide.yieldNow().await(); return k; }));
                }
                int s = 0;
                for (var h : hs) s += h.await() >= 0 ? 1 : 0;
                return s;
            });
            assertThat(total).isEqualTo(100_000);
            assertThat(n.get()).isEqualTo(100_000);
        }
    }

    @Test
    void currentThread() {
        try (Eventide rt = Eventide.currentThread()) {
            Thread me = Thread.currentThread();
            Thread seen = rt.blockOn(() -> Eventide.spawn(Thread::currentThread).await());
            assertThat(seen).isSameAs(me);
        }
    }
}
