package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.task.Task;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the work-stealing run queue: one owner pushing and popping, one stealer taking
 * half at a time, overflow spilling to the global queue, all linearizable. A capacity of 4
 * (tokio's loom tests shrink it the same way) makes overflow and steal-half reachable in the
 * few operations a model checker can explore.
 */
@org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
public class LocalQueueLincheckTest {
    /** A task that only carries an id. */
    static final class Stub extends Task<Void> {
        final int id;

        Stub(int id) {
            super(null, null);
            this.id = id;
        }

        @Override
        protected boolean step(ExecContext cx) {
            return true;
        }
    }

    private final LocalQueue queue = new LocalQueue(4);
    private final LocalQueue stealerQueue = new LocalQueue(4);
    private final InjectQueue overflow = new InjectQueue();
    private int nextId;

    @Operation(nonParallelGroup = "owner")
    public int push() {
        int id = ++nextId;
        queue.pushBack(new Stub(id), overflow);
        return id;
    }

    @Operation(nonParallelGroup = "owner")
    public int pop() {
        Task<?> t = queue.pop();
        return t == null ? 0 : ((Stub) t).id;
    }

    /** What overflowed to the global queue, in order. */
    @Operation(nonParallelGroup = "owner")
    public List<Integer> drainOverflow() {
        List<Integer> ids = new ArrayList<>();
        for (Task<?> t = overflow.pop(); t != null; t = overflow.pop()) {
            ids.add(((Stub) t).id);
        }
        return ids;
    }

    /** Steals half into the stealer's own queue; returns everything stolen, in order. */
    @Operation(nonParallelGroup = "stealer")
    public List<Integer> steal() {
        List<Integer> ids = new ArrayList<>();
        Task<?> first = queue.stealInto(stealerQueue);
        if (first != null) {
            for (Task<?> t = stealerQueue.pop(); t != null; t = stealerQueue.pop()) {
                ids.add(((Stub) t).id);
            }
            ids.add(((Stub) first).id); // returned task is the last of the stolen batch
        }
        return ids;
    }

    @Operation(nonParallelGroup = "stealer")
    public int stealerLen() {
        return queue.len() < 0 ? -1 : 0; // a len() snapshot never goes negative
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(8)
                .invocationsPerIteration(150)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(3)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(5)
                .check(getClass());
    }
}
