package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.time.Time;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * The driver watch: timers keep firing while the worker that last waited in the driver is stuck
 * in a long poll and the other workers sit parked on their condition variables.
 */
@Timeout(60)
class DriverWatchTest {

    /**
     * Thread-per-core, two workers: the two tasks, spawned from outside, go to one worker each.
     * When the worker waiting in the driver is the blocker's, a timer wakes the blocker there and
     * the worker leaves the driver to run it, while the other worker stays parked on its condition
     * variable (a thread-per-core worker wakes no other to look for work). The blocker then blocks
     * its thread until the other task's timer fires. Without the watch, nobody would be in the
     * driver to fire that timer until the blocker gave up ten seconds later (seen in about two
     * runs of three). Compensation is off, so only the watch, run by the blocked-worker monitor
     * at every sample, can help.
     */
    @RepeatedTest(4)
    void aTimerFiresWhileTheWorkerThatLeftTheDriverIsBlocked() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).workStealing(false).threadNamePrefix("driver-watch")
                .compensationThreshold(Duration.ZERO).blockedWorkerThreshold(Duration.ofMillis(200)).build()) {
            CountDownLatch timerFired = new CountDownLatch(1);
            JoinHandle<Boolean> blocker = rt.handle().spawn(() -> {
                Time.sleep(Duration.ofMillis(5)).await();
                return timerFired.await(10, TimeUnit.SECONDS); // blocks the worker, on purpose
            });
            JoinHandle<Void> waker = rt.handle().spawn(() -> {
                Time.sleep(Duration.ofMillis(30)).await();
                timerFired.countDown();
                return null;
            });
            assertThat(blocker.join()).as("the second timer fired while the first task blocked its worker").isTrue();
            waker.join();
        }
    }
}
