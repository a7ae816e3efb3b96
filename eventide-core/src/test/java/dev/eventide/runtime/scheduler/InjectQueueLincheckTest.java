package dev.eventide.runtime.scheduler;

import dev.eventide.runtime.scheduler.LocalQueueLincheckTest.Stub;
import dev.eventide.runtime.task.Task;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the global injection queue: producers pushing tasks and batches onto its stack
 * while consumers pop single tasks and fair-share batches under its lock. Every execution must
 * match a sequential one of a plain FIFO queue whose batch takes {@code min(3, len / 2 + 1)}
 * tasks, which holds only if a batch's share counts everything pushed before it.
 */
@org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
public class InjectQueueLincheckTest {
    private final InjectQueue queue = new InjectQueue();

    @Operation
    public void push(int id) {
        queue.push(new Stub(id));
    }

    /** Pushes {@code id} and {@code id + 100} as one batch, as a local queue's overflow does. */
    @Operation
    public void pushBatch(int id) {
        Stub first = new Stub(id);
        Stub last = new Stub(id + 100);
        first.next = last;
        queue.pushBatch(first, last, 2);
    }

    @Operation
    public int pop() {
        Task<?> t = queue.pop();
        return t == null ? -1 : ((Stub) t).id;
    }

    @Operation
    public List<Integer> popBatch() {
        List<Integer> ids = new ArrayList<>();
        for (Task<?> t = queue.popBatch(3, 2, new int[1]); t != null; t = t.next) {
            ids.add(((Stub) t).id);
        }
        return ids;
    }

    @Operation
    public int len() {
        return queue.len();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(4)
                .check(getClass());
    }
}
