package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SemaphoreTest {

    @Test
    void acquireTakesFreePermitsAtOnceAndCloseGivesThemBack() {
        Semaphore s = new Semaphore(3);
        CountingWaker w = new CountingWaker();
        Poll<Semaphore.Permit> p = w.poll(s.acquire(2));
        assertThat(p.isReady()).isTrue();
        assertThat(p.value().permits()).isEqualTo(2);
        assertThat(s.availablePermits()).isEqualTo(1);
        p.value().close();
        p.value().close(); // idempotent
        assertThat(s.availablePermits()).isEqualTo(3);
    }

    @Test
    void tryAcquireTakesOnlyWhatIsFree() {
        Semaphore s = new Semaphore(2);
        Semaphore.Permit a = s.tryAcquire(2);
        assertThat(a).isNotNull();
        assertThat(s.tryAcquire()).isNull();
        a.close();
        assertThat(s.tryAcquire(1)).isNotNull();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void forgottenPermitsAreGoneForGood() {
        Semaphore s = new Semaphore(2);
        Semaphore.Permit p = s.tryAcquire();
        p.forget();
        p.close();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void waitersAreServedInArrivalOrder() {
        Semaphore s = new Semaphore(0);
        List<CountingWaker> wakers = new ArrayList<>();
        List<Future<Semaphore.Permit>> acquires = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CountingWaker w = new CountingWaker();
            Future<Semaphore.Permit> f = s.acquire();
            assertThat(w.poll(f).isPending()).isTrue();
            wakers.add(w);
            acquires.add(f);
        }
        for (int i = 0; i < 5; i++) {
            s.addPermits(1);
            for (int j = 0; j < 5; j++) {
                assertThat(wakers.get(j).wakes()).as("waiter %d after %d releases", j, i + 1).isEqualTo(j <= i ? 1 : 0);
            }
            assertThat(wakers.get(i).poll(acquires.get(i)).isReady()).isTrue();
        }
    }

    @Test
    void aLargeWaiterAtTheHeadHoldsBackSmallerLaterOnes() {
        Semaphore s = new Semaphore(1);
        CountingWaker big = new CountingWaker();
        CountingWaker small = new CountingWaker();
        Future<Semaphore.Permit> needs3 = s.acquire(3);
        Future<Semaphore.Permit> needs1 = s.acquire(1);
        assertThat(big.poll(needs3).isPending()).isTrue(); // took the free permit, waits for 2 more
        assertThat(s.availablePermits()).isZero();
        assertThat(small.poll(needs1).isPending()).isTrue();
        assertThat(s.tryAcquire()).as("tryAcquire must not barge past waiters").isNull();
        s.addPermits(1);
        assertThat(big.wakes()).isZero();
        assertThat(small.wakes()).as("the later small acquire waits behind the big one").isZero();
        s.addPermits(2);
        assertThat(big.wakes()).isEqualTo(1);
        assertThat(small.wakes()).isEqualTo(1);
        assertThat(big.poll(needs3).value().permits()).isEqualTo(3);
        assertThat(small.poll(needs1).isReady()).isTrue();
    }

    @Test
    void cancellingAWaiterReturnsItsPartialPermitsAndUnlinksIt() {
        Semaphore s = new Semaphore(2);
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        Future<Semaphore.Permit> needs5 = s.acquire(5);
        Future<Semaphore.Permit> needs2 = s.acquire(2);
        assertThat(a.poll(needs5).isPending()).isTrue();
        assertThat(b.poll(needs2).isPending()).isTrue();
        needs5.cancel();
        assertThat(b.wakes()).as("the permits held by the cancelled waiter pass on").isEqualTo(1);
        assertThat(b.poll(needs2).isReady()).isTrue();
        assertThat(s.availablePermits()).isZero();
    }

    @Test
    void cancellingAfterAnUnobservedGrantReturnsThePermits() {
        Semaphore s = new Semaphore(0);
        CountingWaker w = new CountingWaker();
        Future<Semaphore.Permit> f = s.acquire(2);
        assertThat(w.poll(f).isPending()).isTrue();
        s.addPermits(2);
        assertThat(w.wakes()).isEqualTo(1);
        f.cancel();
        assertThat(s.availablePermits()).isEqualTo(2);
    }

    @Test
    void cancellingBeforeTheFirstPollIsHarmless() {
        Semaphore s = new Semaphore(1);
        s.acquire().cancel();
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void aRepollWithANewWakerWakesTheNewOne() {
        Semaphore s = new Semaphore(0);
        CountingWaker first = new CountingWaker();
        CountingWaker second = new CountingWaker();
        Future<Semaphore.Permit> f = s.acquire();
        assertThat(first.poll(f).isPending()).isTrue();
        assertThat(first.poll(f).isPending()).isTrue();
        assertThat(second.poll(f).isPending()).isTrue();
        s.addPermits(1);
        assertThat(first.wakes()).isZero();
        assertThat(second.wakes()).isEqualTo(1);
    }

    @Test
    void badCountsFailAtOnce() {
        Semaphore s = new Semaphore(1);
        assertThatThrownBy(() -> s.acquire(Semaphore.MAX_PERMITS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n");
        assertThatThrownBy(() -> s.acquire(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permits");
        assertThatThrownBy(() -> s.addPermits(Semaphore.MAX_PERMITS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_PERMITS");
        assertThat(s.availablePermits()).isEqualTo(1);
    }

    @Test
    void closeFailsWaitingAndLaterAcquires() {
        Semaphore s = new Semaphore(1);
        CountingWaker w = new CountingWaker();
        Future<Semaphore.Permit> f = s.acquire(3);
        assertThat(w.poll(f).isPending()).isTrue();
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThat(w.wakes()).isEqualTo(1);
        assertThatThrownBy(() -> w.poll(f)).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(() -> w.poll(s.acquire())).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(s::tryAcquire).isInstanceOf(SemaphoreClosedException.class);
        assertThat(s.availablePermits()).as("the partial grant was given back").isEqualTo(1);
    }

    @Test
    void closeFailsAnAwaitingTask() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            Semaphore s = new Semaphore(0);
            JoinHandle<Semaphore.Permit> h = rt.handle().spawn(() -> s.acquire().await());
            s.close();
            assertThatThrownBy(h::join).hasCauseInstanceOf(SemaphoreClosedException.class);
        }
    }

    /**
     * Many tasks acquire random numbers of permits; some acquires are cancelled by losing a select
     * against a yield, some tasks are aborted while waiting. At no time may the holders together
     * hold more than the semaphore has, and at the end every permit must be back.
     */
    @Test
    void cancelledAcquiresNeverLeakPermits() {
        int permits = 5;
        Semaphore s = new Semaphore(permits);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < 64; t++) {
                    tasks.add(Eventide.spawn(() -> {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        for (int i = 0; i < 200; i++) {
                            int n = 1 + r.nextInt(permits);
                            Semaphore.Permit p;
                            if (r.nextInt(3) == 0) {
                                Selected<Object> sel = Select.<Object>select(s.acquire(n), Eventide.yieldNow()).await();
                                if (sel.index() != 0) {
                                    continue; // the acquire was cancelled
                                }
                                p = (Semaphore.Permit) sel.value();
                            } else {
                                p = s.acquire(n).await();
                            }
                            int now = held.addAndGet(n);
                            try {
                                maxHeld.accumulateAndGet(now, Math::max);
                                grants.incrementAndGet();
                                Eventide.yieldNow().await(); // an abort lands here too
                            } finally {
                                held.addAndGet(-n); // before the permits go back
                                p.close();
                            }
                        }
                    }));
                }
                for (int i = 0; i < tasks.size(); i += 5) {
                    tasks.get(i).abort();
                }
                for (JoinHandle<Void> h : tasks) {
                    try {
                        h.await();
                    } catch (CancelledException aborted) {
                        assertThat(h.isCancelled()).isTrue();
                    }
                }
                return null;
            });
        }
        assertThat(grants.get()).isPositive();
        assertThat(maxHeld.get()).isLessThanOrEqualTo(permits);
        assertThat(held.get()).isZero();
        assertThat(s.availablePermits()).isEqualTo(permits);
    }
}
