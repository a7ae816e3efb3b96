package dev.eventide.bench.jmh;

import dev.eventide.Poll;
import dev.eventide.runtime.scheduler.LocalQueueProbe;
import dev.eventide.runtime.task.FutureTask;
import dev.eventide.runtime.task.Task;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A worker's local run queue on its own, without a scheduler around it: the owner's push and
 * pop (what every spawn and wake from inside a worker, and every poll, costs), a steal of half
 * the queue (what an idle worker pays to take work), and push/pop while another thread steals
 * (the contended {@code head} word).
 *
 * <p>Why on its own: the scheduler benchmarks ({@link SchedulerBench}) measure these operations
 * mixed with polling, parking and the LIFO slot; here a change to the queue's protocol shows
 * alone. The queue is package-private; {@link LocalQueueProbe} reaches it from the benchmark
 * module (see its javadoc). The tasks are inert ({@code FutureTask}s never run): only the
 * references move.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class LocalQueueBench {
    /** Tasks pushed per batch: half the queue, so a batch never overflows. */
    private static final int BATCH = 128;

    /** Inert tasks: pushed and popped, never run. */
    static Task<?>[] inertTasks(int n) {
        Task<?>[] tasks = new Task<?>[n];
        for (int i = 0; i < n; i++) {
            tasks[i] = new FutureTask<Void>(null, cx -> Poll.ready(null));
        }
        return tasks;
    }

    /** One thread's queue, a queue to steal into, and the tasks to push. */
    @State(Scope.Thread)
    public static class Owned {
        final LocalQueueProbe queue = new LocalQueueProbe();
        final LocalQueueProbe thief = new LocalQueueProbe();
        final Task<?>[] tasks = inertTasks(BATCH);
    }

    /** One push followed by one pop: the queue's round trip when a worker runs what it just queued. */
    @Benchmark
    public Task<?> pushPop(Owned s) {
        s.queue.push(s.tasks[0]);
        return s.queue.pop();
    }

    /** {@value #BATCH} pushes, then {@value #BATCH} pops: the owner's cost per task with the ring half full. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pushPopBatch(Owned s, Blackhole bh) {
        Task<?>[] tasks = s.tasks;
        for (Task<?> t : tasks) {
            s.queue.push(t);
        }
        for (int i = 0; i < BATCH; i++) {
            bh.consume(s.queue.pop());
        }
    }

    /**
     * {@value #BATCH} tasks pushed, then taken by repeated steals of half the queue (64, 32, ...,
     * 1), each stolen batch popped out of the thief's queue; per task moved. No contention: the
     * cost of the steal protocol itself (two CASes on {@code head} per steal, the copy).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void stealHalves(Owned s, Blackhole bh) {
        for (Task<?> t : s.tasks) {
            s.queue.push(t);
        }
        Task<?> t;
        while ((t = s.queue.stealInto(s.thief)) != null) {
            bh.consume(t);
            Task<?> u;
            while ((u = s.thief.pop()) != null) {
                bh.consume(u);
            }
        }
    }

    /** The queue one owner and one thief share. */
    @State(Scope.Group)
    public static class Shared {
        final LocalQueueProbe queue = new LocalQueueProbe();
        final Task<?>[] tasks = inertTasks(16);
    }

    /** The thief's own queue, which it empties after every steal. */
    @State(Scope.Thread)
    public static class ThiefQueue {
        final LocalQueueProbe queue = new LocalQueueProbe();
    }

    /**
     * Contended, owner side: push 16 tasks and pop until empty (or 16 pops) while the thief steals
     * from the same queue; per invocation (16 pushes, up to 16 pops). Compare with 16 times
     * {@link #pushPop} for the cost of sharing {@code head} with a thief.
     */
    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public void owner(Shared s, Blackhole bh) {
        Task<?>[] tasks = s.tasks;
        for (Task<?> t : tasks) {
            s.queue.push(t);
        }
        for (int i = 0; i < tasks.length; i++) {
            Task<?> t = s.queue.pop();
            if (t == null) {
                break; // the thief took the rest
            }
            bh.consume(t);
        }
    }

    /** Contended, thief side: one steal attempt (half the queue, or nothing) and the drain of what it took. */
    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public void thief(Shared s, ThiefQueue mine, Blackhole bh) {
        Task<?> t = s.queue.stealInto(mine.queue);
        if (t != null) {
            bh.consume(t);
            Task<?> u;
            while ((u = mine.queue.pop()) != null) {
                bh.consume(u);
            }
        }
    }
}
