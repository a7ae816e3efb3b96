package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.runtime.task.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Joiners racing a task's completion. Completion reads its joiners without an atomic swap when
 * there are none (a Dekker pair with the joiners' CAS; see {@code Completion}), so a joiner that
 * arrives during completion must either be woken or see the task complete itself. Each round
 * releases a task and three joiners at once, each after a random spin of a few microseconds: a
 * blocking join, a completable future, and a raw completion waker as the runtime's shutdown
 * uses (a lost wake leaves it parked to its timeout, which it reports); all must get the value.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JoinRaceStressTest {
    private static final int ROUNDS = 20_000;
    private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Test
    void everyKindOfJoinerSeesACompletionItRaces() throws Exception {
        ExecutorService joiners = Executors.newFixedThreadPool(3);
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            Handle h = rt.handle();
            for (int round = 0; round < ROUNDS; round++) {
                int value = round;
                CountDownLatch go = new CountDownLatch(1);
                JoinHandle<Integer> task = h.spawn(() -> {
                    go.await();
                    spinAtRandom();
                    return value;
                });
                CompletableFuture<Integer> viaJoin = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    spinAtRandom();
                    return task.join();
                }, joiners);
                CompletableFuture<Integer> viaCf = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    spinAtRandom();
                    return task.toCompletableFuture();
                }, joiners).thenCompose(f -> f);
                CompletableFuture<Integer> viaWaker = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    spinAtRandom();
                    Thread me = Thread.currentThread();
                    Task<?> t = (Task<?>) task;
                    while (!t.isFinished()) {
                        if (t.wakeOnCompletion(() -> LockSupport.unpark(me))) {
                            long parkedAt = System.nanoTime();
                            LockSupport.parkNanos(PARK_NANOS);
                            if (System.nanoTime() - parkedAt >= PARK_NANOS && t.isFinished()) {
                                return -1; // parked to the end: the completion's wake was lost
                            }
                        }
                    }
                    return value;
                }, joiners);
                go.countDown();
                for (CompletableFuture<Integer> f : List.of(viaJoin, viaCf, viaWaker)) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).as("round %d", round).isEqualTo(value);
                }
            }
        } finally {
            joiners.shutdownNow();
        }
    }

    private static void spinAtRandom() {
        long end = System.nanoTime() + ThreadLocalRandom.current().nextInt(0, 3_000);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
