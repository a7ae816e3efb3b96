package dev.eventide.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTokenTest {

    @Test
    void cancelledCompletesWaitersAndLaterCalls() {
        CancellationToken t = new CancellationToken();
        CountingWaker w = new CountingWaker();
        Future<Void> f = t.cancelled();
        assertThat(w.poll(f).isPending()).isTrue();
        assertThat(w.poll(f).isPending()).isTrue();
        assertThat(t.isCancelled()).isFalse();
        t.cancel();
        t.cancel();
        assertThat(t.isCancelled()).isTrue();
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(w.poll(f).isReady()).isTrue();
        assertThat(w.poll(t.cancelled()).isReady()).isTrue();
    }

    @Test
    void cancellingAParentCancelsDescendantsButNotTheOtherWay() {
        CancellationToken root = new CancellationToken();
        CancellationToken child = root.child();
        CancellationToken grandchild = child.child();
        CancellationToken sibling = root.child();
        CountingWaker w = new CountingWaker();
        assertThat(w.poll(grandchild.cancelled()).isPending()).isTrue();
        sibling.cancel();
        assertThat(root.isCancelled()).isFalse();
        assertThat(child.isCancelled()).isFalse();
        root.cancel();
        assertThat(child.isCancelled()).isTrue();
        assertThat(grandchild.isCancelled()).isTrue();
        assertThat(w.wakes()).isEqualTo(1);
        assertThat(root.child().isCancelled()).as("a child of a cancelled token starts cancelled").isTrue();
    }

    @Test
    void aCancelledWaitIsUnlinked() {
        CancellationToken t = new CancellationToken();
        CountingWaker w = new CountingWaker();
        Future<Void> f = t.cancelled();
        assertThat(w.poll(f).isPending()).isTrue();
        f.cancel();
        t.cancel();
        assertThat(w.wakes()).isZero();
    }

    @Test
    void stopsATaskThroughSelect() {
        CancellationToken t = new CancellationToken();
        Notify never = new Notify();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            JoinHandle<Integer> h = rt.handle().spawn(
                    () -> Select.<Void>select(never.notified(), t.child().cancelled()).await().index());
            t.cancel();
            assertThat(h.join()).isEqualTo(1);
        }
    }

    @Test
    void childrenCreatedWhileTheParentIsCancelledEndUpCancelled() {
        CancellationToken root = new CancellationToken();
        Queue<CancellationToken> made = new ConcurrentLinkedQueue<>();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                List<JoinHandle<Void>> hs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    hs.add(Eventide.spawn(() -> {
                        for (int i = 0; i < 500; i++) {
                            CancellationToken c = root.child();
                            made.add(c);
                            made.add(c.child());
                            if (i % 50 == 0) {
                                Eventide.yieldNow().await();
                            }
                        }
                    }));
                }
                hs.add(Eventide.spawn(() -> {
                    Eventide.yieldNow().await();
                    root.cancel();
                }));
                for (JoinHandle<Void> h : hs) {
                    h.await();
                }
                return null;
            });
        }
        assertThat(made).hasSize(4 * 500 * 2).allMatch(CancellationToken::isCancelled);
    }
}
