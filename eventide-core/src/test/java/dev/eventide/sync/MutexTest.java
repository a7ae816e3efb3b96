package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MutexTest {

    @Test
    void guardGivesAccessAndCloseUnlocks() {
        Mutex<String> m = new Mutex<>("a");
        CountingWaker w = new CountingWaker();
        try (Mutex.Guard<String> g = w.poll(m.lock()).value()) {
            assertThat(m.isLocked()).isTrue();
            assertThat(g.get()).isEqualTo("a");
            g.set("b");
            assertThat(m.tryLock()).isNull();
        }
        assertThat(m.isLocked()).isFalse();
        try (Mutex.Guard<String> g = m.tryLock()) {
            assertThat(g.get()).isEqualTo("b");
        }
    }

    @Test
    void aClosedGuardRefusesAccess() {
        Mutex<Integer> m = new Mutex<>(1);
        Mutex.Guard<Integer> g = m.tryLock();
        g.close();
        g.close();
        assertThat(m.isLocked()).isFalse();
        assertThatThrownBy(g::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> g.set(2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void waitersGetTheLockInArrivalOrder() {
        Mutex<List<Integer>> m = new Mutex<>(new ArrayList<>());
        Mutex.Guard<List<Integer>> first = m.tryLock();
        List<Future<Mutex.Guard<List<Integer>>>> locks = new ArrayList<>();
        List<CountingWaker> wakers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CountingWaker w = new CountingWaker();
            Future<Mutex.Guard<List<Integer>>> f = m.lock();
            assertThat(w.poll(f).isPending()).isTrue();
            locks.add(f);
            wakers.add(w);
        }
        first.close();
        for (int i = 0; i < 4; i++) {
            assertThat(wakers.get(i).wakes()).isEqualTo(1);
            for (int j = i + 1; j < 4; j++) {
                assertThat(wakers.get(j).wakes()).isZero();
            }
            try (Mutex.Guard<List<Integer>> g = wakers.get(i).poll(locks.get(i)).value()) {
                g.get().add(i);
            }
        }
        assertThat(m.tryLock().get()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void excludesTasksAcrossAwaits() {
        Mutex<int[]> m = new Mutex<>(new int[1]);
        int tasks = 50;
        int rounds = 100;
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    hs.add(Eventide.spawn(() -> {
                        for (int i = 0; i < rounds; i++) {
                            try (var g = m.lock().await()) {
                                int before = g.get()[0];
                                Eventide.yieldNow().await(); // others run meanwhile, and must wait
                                g.get()[0] = before + 1;
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
        assertThat(m.tryLock().get()[0]).isEqualTo(tasks * rounds);
    }

    @Test
    void aTaskThatThrowsWhileHoldingTheGuardReleasesIt() {
        Mutex<String> m = new Mutex<>("v");
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            JoinHandle<Void> failing = rt.handle().spawn(() -> {
                try (var g = m.lock().await()) {
                    Eventide.yieldNow().await();
                    throw new IllegalStateException("boom with " + g.get());
                }
            });
            assertThatThrownBy(failing::join).isInstanceOf(TaskFailedException.class)
                    .hasRootCauseMessage("boom with v");
            String seen = rt.blockOn(() -> {
                try (var g = m.lock().await()) {
                    return g.get();
                }
            });
            assertThat(seen).isEqualTo("v");
            assertThat(m.isLocked()).isFalse();
        }
    }

    @Test
    void anAbortedTaskHoldingTheGuardReleasesIt() throws InterruptedException {
        Mutex<String> m = new Mutex<>("v");
        Notify never = new Notify();
        CountDownLatch locked = new CountDownLatch(1);
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            JoinHandle<Void> holder = rt.handle().spawn(() -> {
                try (var _ = m.lock().await()) {
                    locked.countDown();
                    never.notified().await();
                }
            });
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(m.isLocked()).isTrue();
            holder.abort();
            assertThat(rt.blockOn(() -> {
                try (var g = m.lock().await()) {
                    return g.get();
                }
            })).isEqualTo("v");
            assertThat(holder.isCancelled()).isTrue();
        }
    }

    @Test
    void aCancelledLockPassesAGrantOn() {
        Mutex<String> m = new Mutex<>("v");
        Mutex.Guard<String> held = m.tryLock();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Mutex.Guard<String>> la = m.lock();
        Future<Mutex.Guard<String>> lb = m.lock();
        assertThat(a.poll(la).isPending()).isTrue();
        assertThat(b.poll(lb).isPending()).isTrue();
        held.close(); // the lock is handed to la
        la.cancel(); // la never saw it: it passes to lb
        assertThat(b.wakes()).isEqualTo(1);
        assertThat(b.poll(lb).isReady()).isTrue();
    }

    /** Lock attempts cancelled at random (lost selects, aborted tasks) never leave the mutex locked. */
    @Test
    void randomlyCancelledLocksNeverLeaveItLocked() {
        Mutex<int[]> m = new Mutex<>(new int[1]);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int t = 0; t < 32; t++) {
                    hs.add(Eventide.spawn(() -> {
                        for (int i = 0; i < 100; i++) {
                            Selected<Object> s = Select.<Object>select(m.lock(), Eventide.yieldNow()).await();
                            if (s.index() != 0) {
                                continue;
                            }
                            @SuppressWarnings("unchecked")
                            Mutex.Guard<int[]> g = (Mutex.Guard<int[]>) s.value();
                            try (g) {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                // leave before the guard closes: try-with-resources releases the
                                // lock before an outer finally would run
                                try {
                                    Eventide.yieldNow().await();
                                    g.get()[0]++;
                                } finally {
                                    inside.decrementAndGet();
                                }
                            }
                        }
                    }));
                }
                for (int i = 0; i < hs.size(); i += 3) {
                    hs.get(i).abort();
                }
                for (JoinHandle<Void> h : hs) {
                    try {
                        h.await();
                    } catch (CancelledException aborted) {
                        assertThat(h.isCancelled()).isTrue();
                    }
                }
                return null;
            });
        }
        assertThat(overlaps.get()).isZero();
        assertThat(m.isLocked()).isFalse();
        assertThat(m.tryLock().get()[0]).isPositive();
    }
}
