package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Remote work behind a worker that never runs dry (WORKLOADS.md's W3b): a chain of tasks, each
 * spawning the next from inside, keeps the only worker busy while tasks spawned from outside wait
 * in the global queue. At its turn for the global queue the worker takes them as a batch, so they
 * all run within a few links of the chain; one task per turn would spread them over one turn per
 * task. A turn comes every {@value #INTERVAL} ticks, and a tick runs one task and up to three
 * successors from the LIFO slot, so up to {@value #LINKS_PER_TURN} links of the chain.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GlobalQueueBatchTest {
    private static final int INTERVAL = 8;
    private static final int REMOTE = 50;
    private static final int LINKS_PER_TURN = INTERVAL * 4;

    @Test
    void tasksWaitingInTheGlobalQueueRunTogetherAtTheWorkersTurn() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1).globalQueueInterval(INTERVAL)
                .compensationThreshold(Duration.ZERO).blockedWorkerThreshold(Duration.ZERO).build()) {
            int[] ranAtLink = linksStartedWhenEachRemoteTaskRan(rt);
            int first = Integer.MAX_VALUE;
            int last = 0;
            for (int at : ranAtLink) {
                first = Math.min(first, at);
                last = Math.max(last, at);
            }
            assertThat(first).as("the first remote task waits for the worker's turn, not for the chain to end")
                    .isLessThanOrEqualTo(2 * LINKS_PER_TURN);
            // one task per turn: about (REMOTE - 1) * LINKS_PER_TURN
            assertThat(last - first).as("links of the chain run between the first remote task and the last")
                    .isLessThanOrEqualTo(LINKS_PER_TURN);
        }
    }

    /**
     * With nothing else queued on the worker, remote work that waits stops the chain's run of
     * LIFO polls: the next link goes behind that work, which is taken at the very next tick (with
     * the default, adaptive interval). Every remote task runs right after the link that was
     * running when they were queued, where the first used to wait for up to three more links and
     * the interval's turn, and the rest for more links after it.
     */
    @Test
    void remoteWorkWaitingStopsARunOfLifoPollsOnAWorkerWithNothingElseQueued() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(1)
                .compensationThreshold(Duration.ZERO).blockedWorkerThreshold(Duration.ZERO).build()) {
            int[] ranAtLink = linksStartedWhenEachRemoteTaskRan(rt);
            assertThat(ranAtLink).as("links started when each remote task ran").containsOnly(1);
        }
    }

    /**
     * Starts the chain on {@code rt}'s only worker, whose first link holds the worker until
     * {@value #REMOTE} tasks are spawned from outside (then it resumes and spawns the second link
     * into the LIFO slot); joins them, stops the chain, and returns, for each remote task, how
     * many links had started when it ran.
     */
    private static int[] linksStartedWhenEachRemoteTaskRan(Eventide rt) throws InterruptedException {
        AtomicInteger links = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch chainStarted = new CountDownLatch(1);
        CountDownLatch remoteQueued = new CountDownLatch(1);
        rt.handle().spawn(() -> {
            link(links, running, chainStarted, remoteQueued);
            return null;
        });
        assertThat(chainStarted.await(10, TimeUnit.SECONDS)).isTrue();
        int[] ranAtLink = new int[REMOTE];
        List<JoinHandle<Void>> remote = new ArrayList<>();
        for (int i = 0; i < REMOTE; i++) {
            int k = i;
            remote.add(rt.handle().spawn(() -> {
                ranAtLink[k] = links.get();
            }));
        }
        remoteQueued.countDown();
        for (JoinHandle<Void> h : remote) {
            h.join();
        }
        running.set(false);
        return ranAtLink;
    }

    /** A link of the chain: counts itself and spawns the next, until {@code running} is cleared. */
    private static void link(AtomicInteger links, AtomicBoolean running, CountDownLatch started, CountDownLatch hold)
            throws InterruptedException {
        if (links.getAndIncrement() == 0) {
            started.countDown();
            hold.await(); // blocks the only worker, on purpose: the remote tasks queue up meanwhile
        }
        if (running.get()) {
            Eventide.spawn(() -> {
                link(links, running, started, hold);
                return null;
            });
        }
    }
}
