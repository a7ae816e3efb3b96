package dev.eventide.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.runtime.scheduler.LocalQueueLincheckTest.Stub;
import dev.eventide.runtime.task.Task;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * A compensator rescuing a core while its owner keeps using it: the owner fills the LIFO slot
 * (displacing into its queue) and takes from both, as a worker whose blocked task still spawns
 * would; a rescuer takes the LIFO slot and steals the queue at the same time. Every task must be
 * taken exactly once: a task taken twice would be polled twice, one taken never would be lost.
 */
@Timeout(60)
class RescueStressTest {

    @RepeatedTest(5)
    void everyTaskIsTakenExactlyOnceWhileTheOwnerAndARescuerRace() throws Exception {
        int n = 200_000;
        Core core = new Core(0, null, null, true, 0, 61);
        InjectQueue overflow = new InjectQueue();
        AtomicIntegerArray taken = new AtomicIntegerArray(n);
        AtomicBoolean ownerDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);

        Thread rescuer = new Thread(() -> {
            LocalQueue mine = new LocalQueue();
            awaitQuietly(start);
            while (!ownerDone.get() || core.hasLocalWork()) {
                Task<?> t = core.takeLifo();
                if (t == null) {
                    t = core.queue.stealInto(mine);
                }
                for (; t != null; t = mine.pop()) {
                    taken.incrementAndGet(((Stub) t).id);
                }
            }
        }, "rescuer");
        rescuer.start();
        start.countDown();
        for (int i = 0; i < n; i++) {
            Task<?> prev = core.swapLifo(new Stub(i));
            if (prev != null) {
                core.queue.pushBack(prev, overflow);
            }
            if ((i & 7) == 0) { // the owner runs some of its own work too
                Task<?> t = MultiThreadScheduler.nextLocalTask(core);
                if (t != null) {
                    taken.incrementAndGet(((Stub) t).id);
                }
            }
        }
        ownerDone.set(true);
        rescuer.join();
        for (Task<?> t = overflow.pop(); t != null; t = overflow.pop()) {
            taken.incrementAndGet(((Stub) t).id);
        }
        for (int i = 0; i < n; i++) {
            assertThat(taken.get(i)).as("times task %d was taken", i).isEqualTo(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
