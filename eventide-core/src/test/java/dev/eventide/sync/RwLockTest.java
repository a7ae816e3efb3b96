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
class RwLockTest {

    @Test
    void manyReadersAtOnceButNoWriter() {
        RwLock<String> l = new RwLock<>("x");
        RwLock.ReadGuard<String> r1 = l.tryRead();
        RwLock.ReadGuard<String> r2 = l.tryRead();
        assertThat(r1.get()).isEqualTo("x");
        assertThat(r2.get()).isEqualTo("x");
        assertThat(l.tryWrite()).isNull();
        r1.close();
        assertThat(l.tryWrite()).isNull();
        r2.close();
        try (RwLock.WriteGuard<String> w = l.tryWrite()) {
            assertThat(w).isNotNull();
            assertThat(l.tryRead()).isNull();
            w.set("y");
        }
        assertThat(l.tryRead().get()).isEqualTo("y");
    }

    @Test
    void aWaitingWriterBlocksLaterReaders() {
        RwLock<String> l = new RwLock<>("x");
        RwLock.ReadGuard<String> reader = l.tryRead();
        CountingWaker ww = new CountingWaker();
        CountingWaker rw = new CountingWaker();
        Future<RwLock.WriteGuard<String>> write = l.write();
        Future<RwLock.ReadGuard<String>> read = l.read();
        assertThat(ww.poll(write).isPending()).isTrue();
        assertThat(rw.poll(read).isPending()).as("a reader after a waiting writer waits").isTrue();
        assertThat(l.tryRead()).isNull();
        reader.close();
        assertThat(ww.wakes()).isEqualTo(1);
        assertThat(rw.wakes()).isZero();
        RwLock.WriteGuard<String> w = ww.poll(write).value();
        w.set("y");
        w.close();
        assertThat(rw.wakes()).isEqualTo(1);
        assertThat(rw.poll(read).value().get()).isEqualTo("y");
    }

    @Test
    void aWriterWaitsForEveryEarlierReader() {
        RwLock<Integer> l = new RwLock<>(0);
        CountingWaker ww = new CountingWaker();
        List<RwLock.ReadGuard<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(l.tryRead());
        }
        Future<RwLock.WriteGuard<Integer>> write = l.write();
        assertThat(ww.poll(write).isPending()).isTrue();
        for (RwLock.ReadGuard<Integer> r : readers) {
            assertThat(ww.wakes()).isZero();
            r.close();
        }
        assertThat(ww.wakes()).isEqualTo(1);
        assertThat(ww.poll(write).isReady()).isTrue();
    }

    @Test
    void downgradeLetsWaitingReadersIn() {
        RwLock<String> l = new RwLock<>("x");
        RwLock.WriteGuard<String> w = l.tryWrite();
        CountingWaker rw = new CountingWaker();
        Future<RwLock.ReadGuard<String>> read = l.read();
        assertThat(rw.poll(read).isPending()).isTrue();
        w.set("y");
        RwLock.ReadGuard<String> mine = w.downgrade();
        assertThat(rw.wakes()).isEqualTo(1);
        assertThat(rw.poll(read).value().get()).isEqualTo("y");
        assertThat(mine.get()).isEqualTo("y");
        assertThat(l.tryWrite()).isNull();
        assertThatThrownBy(w::get).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::downgrade).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writersAreExclusiveAndReadersShareUnderLoad() {
        RwLock<int[]> l = new RwLock<>(new int[1]);
        AtomicInteger readersInside = new AtomicInteger();
        AtomicInteger writersInside = new AtomicInteger();
        AtomicInteger maxReaders = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int t = 0; t < 40; t++) {
                    boolean writer = t % 4 == 0;
                    hs.add(Eventide.spawn(() -> {
                        for (int i = 0; i < 50; i++) {
                            if (writer) {
                                try (var w = l.write().await()) {
                                    if (writersInside.incrementAndGet() != 1 || readersInside.get() != 0) {
                                        violations.incrementAndGet();
                                    }
                                    Eventide.yieldNow().await();
                                    w.get()[0]++;
                                    writersInside.decrementAndGet();
                                }
                            } else {
                                try (var _ = l.read().await()) {
                                    maxReaders.accumulateAndGet(readersInside.incrementAndGet(), Math::max);
                                    if (writersInside.get() != 0) {
                                        violations.incrementAndGet();
                                    }
                                    Eventide.yieldNow().await();
                                    readersInside.decrementAndGet();
                                }
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
        assertThat(violations.get()).isZero();
        assertThat(maxReaders.get()).as("readers overlapped").isGreaterThan(1);
        assertThat(l.tryWrite().get()[0]).isEqualTo(10 * 50);
    }
}
