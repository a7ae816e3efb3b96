package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.CancelledException;
import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.runtime.ExecContext;
import dev.eventide.time.Time;
import dev.eventide.time.TimeoutExpiredException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * The port scanner's Ctrl-C path under stress: many tasks connect, each under a
 * {@code Time.timeout} of a few milliseconds, to a loopback port that refuses and to one whose
 * full backlog drops the SYNs (so connects stay pending until their timeout), while another task
 * aborts them at random moments: between polls, while suspended in the connect, while a timer is
 * firing. Every task must end promptly (joined or cancelled), and nothing may be left behind: no
 * timer in the wheel and no open socket registered with the reactor. On both runtimes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectAbortStressTest {
    private static final int TASKS = 64;
    private static final int ROUNDS = 4;
    /** How long leftovers (a cancelled timer, a closed key) may take to leave the runtime. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    @RepeatedTest(2)
    void multiThreadRuntime() throws Exception {
        stress(() -> Eventide.builder().workerThreads(2).build());
    }

    @RepeatedTest(2)
    void currentThreadRuntime() throws Exception {
        stress(Eventide::currentThread);
    }

    private static void stress(Supplier<Eventide> runtime) throws Exception {
        int refused = refusedPort();
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                Eventide rt = runtime.get()) {
            InetSocketAddress refusing = new InetSocketAddress("127.0.0.1", refused);
            InetSocketAddress dropping = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            for (int round = 0; round < ROUNDS; round++) {
                int[] ended = rt.blockOn(() -> {
                    List<JoinHandle<Integer>> hs = new ArrayList<>();
                    for (int i = 0; i < TASKS; i++) {
                        InetSocketAddress target = (i & 1) == 0 ? refusing : dropping;
                        hs.add(Eventide.spawn(() -> probeUntilAborted(target)));
                    }
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (JoinHandle<Integer> h : hs) {
                        int yields = rnd.nextInt(8);
                        for (int y = 0; y < yields; y++) {
                            Eventide.yieldNow().await();
                        }
                        if (rnd.nextInt(8) == 0) {
                            Time.sleep(Duration.ofMillis(1)).await(); // let timeouts fire meanwhile
                        }
                        h.abort();
                    }
                    int cancelled = 0;
                    for (JoinHandle<Integer> h : hs) {
                        try {
                            h.await();
                        } catch (CancelledException e) {
                            cancelled++;
                        }
                    }
                    return new int[] {cancelled, leftovers()};
                });
                assertThat(ended[0]).as("tasks ended by their abort (they never end otherwise)").isEqualTo(TASKS);
                assertThat(ended[1]).as("timers and open sockets left behind").isZero();
            }
        }
    }

    /** Connects over and over under a short timeout until aborted (it never returns). */
    private static int probeUntilAborted(InetSocketAddress target) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int missed = 0; // refused, or dropped by the full backlog and timed out
        for (;;) {
            try (TcpStream s = Time.timeout(Duration.ofMillis(1 + rnd.nextInt(3)), TcpStream.connect(target)).await()) {
                assertThat(s.peerAddress()).isEqualTo(target); // one of the few the backlog let in
            } catch (TimeoutExpiredException | UncheckedIOException e) {
                missed++;
            }
            // A refused loopback connect fails without suspending: give the aborter its turn.
            Eventide.yieldNow().await();
        }
    }

    /**
     * Waits (yielding, bounded) until the runtime holds no timer and no open registered socket;
     * returns how many are left. Closed sockets may stay in the selector's key set until the
     * reactor's next pass, so only open channels count.
     */
    private static int leftovers() {
        var driver = ExecContext.current().scheduler.driver;
        long deadline = System.nanoTime() + SETTLE_NANOS;
        for (;;) {
            int open = 0;
            for (SelectionKey k : driver.selector().keys()) {
                if (k.channel().isOpen()) {
                    open++;
                }
            }
            int left = open + driver.time().registered();
            if (left == 0 || System.nanoTime() - deadline > 0) {
                return left;
            }
            Eventide.yieldNow().await();
        }
    }

    private static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
