package dev.eventide.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Waker;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delivers real signals to this JVM with {@code kill}. That is safe only while Eventide's handler
 * is installed (the JVM's own handler would exit the JVM), so every test sends a signal only
 * after it has checked that a listener exists, and the handler is installed while one does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SignalTest {
    private static final long PID = ProcessHandle.current().pid();

    /** Sends {@code signal} to this JVM; refuses to unless Eventide listens to it. */
    private static void raise(String signal) throws IOException, InterruptedException {
        assertThat(Signal.listeners(signal)).as("a listener of SIG%s must exist before the signal is sent", signal)
                .isPositive();
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(PID)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void sigtermReachesAStreamInATask() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int received = rt.blockOn(() -> {
                int n = 0;
                try (SignalStream term = Signal.of("SIGTERM")) {
                    for (int i = 0; i < 3; i++) {
                        raise("TERM");
                        term.recv().await();
                        n++;
                    }
                }
                return n;
            });
            assertThat(received).isEqualTo(3);
        }
        assertThat(Signal.listeners("TERM")).isZero();
    }

    /** Whether this process ignores signal {@code signo} at the OS level (Linux: SigIgn in /proc). */
    static boolean ignoredByProcess(int signo) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask & (1L << (signo - 1))) != 0;
            }
        }
        return false;
    }

    @Test
    void ctrlCCompletesOnSigint() throws Exception {
        // Polled by hand: the future listens from its first poll, so the signal is sent after it.
        Future<Void> ctrlC = Signal.ctrlC();
        CountDownLatch woken = new CountDownLatch(1);
        Context cx = Context.of(woken::countDown);
        if (ignoredByProcess(2)) {
            // Started in the background by a shell: the JVM cannot take SIGINT over, and says so.
            assertThatThrownBy(() -> ctrlC.poll(cx)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this process ignores it");
            assertThat(Signal.listeners("INT")).isZero();
            return;
        }
        assertThat(ctrlC.poll(cx).isReady()).isFalse();
        raise("INT");
        assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctrlC.poll(cx).isReady()).isTrue();
        assertThat(Signal.listeners("INT")).isZero();
    }

    @Test
    void everyListenerSeesTheSignalAndACancelledRecvLosesNothing() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            try (SignalStream a = Signal.of("term"); SignalStream b = Signal.of("TERM")) {
                CountDownLatch waiting = new CountDownLatch(1);
                JoinHandle<Void> waiter = rt.handle().spawn(() -> {
                    Future<Void> r = b.recv();
                    assertThat(r.poll(Context.of(Waker.noop())).isReady()).isFalse();
                    r.cancel(); // abandoned, as a lost select would be
                    waiting.countDown();
                    a.recv().await();
                    return null;
                });
                assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
                raise("TERM");
                waiter.join();
                // b's signal was kept for its next recv
                rt.blockOn(() -> b.recv().await());
                assertThat(Signal.listeners("TERM")).isEqualTo(2);
            }
        }
        assertThat(Signal.listeners("TERM")).isZero();
    }

    @Test
    void anAbortedSignalWaitStopsListening() {
        try (Eventide rt = Eventide.builder().workerThreads(1).build()) {
            CountDownLatch listening = new CountDownLatch(1);
            JoinHandle<Void> h = rt.handle().spawn(() -> {
                Future<Void> f = Signal.terminate(); // as ctrlC(), but SIGTERM is never ignored by shells
                f.poll(Context.of(Waker.noop()));
                listening.countDown();
                try {
                    f.await();
                } finally {
                    f.cancel();
                }
                return null;
            });
            try {
                assertThat(listening.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(Signal.listeners("TERM")).isEqualTo(1);
            h.abort();
            assertThatThrownBy(h::join).isInstanceOf(java.util.concurrent.CancellationException.class);
        }
        assertThat(Signal.listeners("TERM")).isZero();
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> Signal.of(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> Signal.of("NOPE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIGNOPE");
        assertThatThrownBy(() -> Signal.of("SIG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signal.of("QUIT")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIGQUIT");
        assertThat(Signal.listeners("NOPE")).isZero();
        // USR1: not a shutdown signal, so never left ignored by a shell or nohup
        try (SignalStream s = Signal.of("USR1")) {
            s.close();
            assertThatThrownBy(() -> s.recv().await()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }
}
