package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without {@code --add-exports java.base/jdk.internal.vm=...}, the first async block fails with
 * one message naming the option, and poll-based futures still work. Runs a child JVM without
 * the option.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MissingExportFlagTest {

    /** The child's main. */
    public static final class Child {
        public static void main(String[] args) {
            try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
                System.out.println("future:" + rt.blockOn(Future.ready("ok")));
                try {
                    rt.blockOn(() -> 1);
                    System.out.println("block: no error");
                } catch (IllegalStateException e) {
                    System.out.println("block error:" + e.getMessage());
                }
            }
        }
    }

    @Test
    void theFirstAsyncBlockNamesTheMissingOption() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Child.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("future:ok")
                .contains("block error:Async blocks need the JVM option '--add-exports java.base/jdk.internal.vm=ALL-UNNAMED'")
                .doesNotContain("IllegalAccessError");
        assertThat(p.exitValue()).isZero();
        assertThat(File.separator).isNotEmpty();
    }
}
