package dev.eventide.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.runtime.scheduler.LocalQueueLincheckTest.Stub;
import dev.eventide.runtime.task.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The global queue's FIFO order and its batch pops' fair share. */
class InjectQueueTest {
    @Test
    void aBatchTakesAFairShareOfEverythingQueuedOldestFirst() {
        InjectQueue q = new InjectQueue();
        for (int i = 1; i <= 3; i++) {
            q.push(new Stub(i));
        }
        assertThat(((Stub) q.pop()).id).isEqualTo(1); // the consumers' list now holds 2 and 3
        for (int i = 4; i <= 101; i++) {
            q.push(new Stub(i)); // on the producers' stack
        }
        int[] count = new int[1];
        List<Integer> ids = ids(q.popBatch(1000, 2, count));
        // 100 queued, two workers sharing: 51, not a share of the two left in the consumers' list
        assertThat(count[0]).isEqualTo(51);
        assertThat(ids).hasSize(51).startsWith(2, 3, 4).endsWith(52);
        assertThat(ids(q.popBatch(1000, 1, count))).hasSize(49).startsWith(53).endsWith(101);
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void pushesAndBatchesComeOutInOrder() {
        InjectQueue q = new InjectQueue();
        q.push(new Stub(1));
        Stub a = new Stub(2);
        Stub b = new Stub(3);
        a.next = b;
        q.pushBatch(a, b, 2);
        q.push(new Stub(4));
        int[] count = new int[1];
        assertThat(ids(q.popBatch(2, 1, count))).containsExactly(1, 2);
        q.push(new Stub(5));
        assertThat(q.len()).isEqualTo(3);
        assertThat(ids(q.popBatch(10, 1, count))).containsExactly(3, 4, 5);
        assertThat(q.pop()).isNull();
    }

    private static List<Integer> ids(Task<?> first) {
        List<Integer> ids = new ArrayList<>();
        for (Task<?> t = first; t != null; t = t.next) {
            ids.add(((Stub) t).id);
        }
        return ids;
    }
}
