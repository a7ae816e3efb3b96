package dev.eventide.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The spacer threads a multi-thread runtime starts between its workers (see
 * {@link HandleSpacers}): one before each worker and one after the last, named after the
 * runtime, parked for the runtime's life, and gone once it is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandleSpacersTest {

    private static List<Thread> alive(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(namePrefix))
                .toList();
    }

    @Test
    void aRuntimeRunsOneSpacerPerWorkerPlusOneAllParkedAndClosingItEndsThem() throws Exception {
        Eventide rt = Eventide.builder().workerThreads(3).threadNamePrefix("spacers-a").build();
        try {
            assertThat(rt.handle().spawn(() -> 42).join()).isEqualTo(42);
            List<Thread> spacers = alive("spacers-a-spacer-");
            assertThat(spacers).extracting(Thread::getName)
                    .containsExactlyInAnyOrder("spacers-a-spacer-0", "spacers-a-spacer-1",
                            "spacers-a-spacer-2", "spacers-a-spacer-3");
            for (Thread t : spacers) {
                assertThat(t.isDaemon()).as(t.getName() + " is a daemon").isTrue();
                // parked from its start: wait (bounded) for a spacer that has not reached its park yet
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(t.getState()).as(t.getName() + " parks").isEqualTo(Thread.State.WAITING);
            }
        } finally {
            rt.close();
        }
        assertThat(alive("spacers-a-")).isEmpty();
    }

    @Test
    void aCurrentThreadRuntimeStartsNoSpacer() {
        try (Eventide rt = Eventide.builder().currentThread().threadNamePrefix("spacers-b").build()) {
            assertThat(rt.blockOn(() -> 7)).isEqualTo(7);
            assertThat(alive("spacers-b-spacer-")).isEmpty();
        }
    }
}
