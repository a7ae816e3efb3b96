package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskLocalTest {
    private static final TaskLocal<String> NAME = TaskLocal.create();
    private static final TaskLocal<List<Integer>> SEEN = TaskLocal.withInitial(ArrayList::new);

    @Test
    void valuesFollowTheirTaskAcrossWorkersAndStayApart() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int mismatches = rt.blockOn(() -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int t = 0; t < 100; t++) {
                    String mine = "task-" + t;
                    hs.add(Eventide.spawn(() -> {
                        NAME.set(mine);
                        int bad = 0;
                        for (int i = 0; i < 100; i++) {
                            SEEN.get().add(i);
                            Eventide.yieldNow().await();
                            if (!mine.equals(NAME.get())) {
                                bad++;
                            }
                        }
                        return bad + (SEEN.get().size() == 100 ? 0 : 1);
                    }));
                }
                int bad = 0;
                for (JoinHandle<Integer> h : hs) {
                    bad += h.await();
                }
                return bad;
            });
            assertThat(mismatches).isZero();
        }
    }

    @Test
    void spawnedTasksDoNotInheritAndScopeRestores() throws Exception {
        try (Eventide rt = Eventide.currentThread()) {
            String result = rt.blockOn(() -> {
                NAME.set("parent");
                String child = Eventide.spawn(() -> String.valueOf(NAME.get())).await();
                String scoped = NAME.scope("inner", () -> NAME.get());
                String after = NAME.get();
                NAME.remove();
                return child + "," + scoped + "," + after + "," + NAME.get();
            });
            assertThat(result).isEqualTo("null,inner,parent,null");
        }
    }

    @Test
    void outsideATaskItRefuses() {
        assertThatThrownBy(NAME::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a task");
    }
}
