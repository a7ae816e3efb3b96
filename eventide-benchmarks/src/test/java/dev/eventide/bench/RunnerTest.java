package dev.eventide.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The runner's iteration counts: the warm-up's floor in time, and exactly the timed iterations asked for. */
class RunnerTest {
    /** A workload whose iteration takes about a millisecond and reports its own index. */
    private static final class Counting implements Workload {
        final AtomicInteger iterations = new AtomicInteger();
        final AtomicLong firstAt = new AtomicLong();
        final AtomicLong timedFrom = new AtomicLong();

        @Override
        public String id() {
            return "T";
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Unit unit() {
            return Unit.NS;
        }

        @Override
        public long opsPerIteration(Size size) {
            return 1;
        }

        @Override
        public String opName() {
            return "iteration";
        }

        @Override
        public Set<Sys> systems() {
            return EnumSet.of(Sys.FJP);
        }

        @Override
        public Trial open(Sys sys, int workers, Size size) {
            return new Trial() {
                @Override
                public double iteration() {
                    long now = System.nanoTime();
                    firstAt.compareAndSet(0, now);
                    long end = now + TimeUnit.MILLISECONDS.toNanos(1);
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return iterations.incrementAndGet(); // 1-based index of this iteration
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void theWarmUpRunsItsCountAndItsMinimumTimeThenExactlyTheTimedIterations() throws Exception {
        Counting w = new Counting();
        long minWarmup = TimeUnit.MILLISECONDS.toNanos(100);
        Result r = new Runner(TimeUnit.SECONDS.toNanos(10)).run(w, Sys.FJP, 1, Size.FULL, 3, minWarmup, 5);
        assertThat(r.failed()).isFalse();
        // ~1 ms iterations: 3 would be over in 3 ms, so the time floor decides the count
        assertThat(r.warmup()).as("warm-up iterations run").isGreaterThan(3);
        assertThat(w.iterations.get()).isEqualTo(r.warmup() + 5);
        // the timed values are the iterations right after the warm-up, in order
        assertThat(r.values()).containsExactly(r.warmup() + 1.0, r.warmup() + 2.0, r.warmup() + 3.0,
                r.warmup() + 4.0, r.warmup() + 5.0);
    }

    @Test
    void withoutATimeFloorTheWarmUpIsExactlyItsCount() throws Exception {
        Counting w = new Counting();
        Result r = new Runner(TimeUnit.SECONDS.toNanos(10)).run(w, Sys.FJP, 1, Size.QUICK, 3, 0, 2);
        assertThat(r.warmup()).isEqualTo(3);
        assertThat(r.values()).containsExactly(4.0, 5.0);
        assertThat(Workload.minWarmupNanos(Size.QUICK)).as("quick mode keeps its few seconds").isZero();
        assertThat(Workload.minWarmupNanos(Size.FULL)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    }
}
