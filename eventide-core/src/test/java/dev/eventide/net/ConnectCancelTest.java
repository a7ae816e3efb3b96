package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Waker;
import dev.eventide.time.Time;
import dev.eventide.time.TimeoutExpiredException;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connect that is abandoned (timed out with {@code Time.timeout}, aborted, a select loser)
 * closes its socket: cancelling the future by hand, aborting the task that awaits it, and a
 * real timeout, which cancels its inner future.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectCancelTest {

    /**
     * Fills the accept queue of a listener with backlog 1 that never accepts: of these connects a
     * couple complete, the rest stay pending (the kernel drops their SYNs). Returns the futures
     * and their tasks, once every one has been polled.
     */
    static List<JoinHandle<TcpStream>> crowd(TcpListener l, List<Connecting<?>> futures) {
        List<JoinHandle<TcpStream>> tasks = new ArrayList<>();
        for (int i = 0; i < CROWD; i++) {
            Future<TcpStream> f = TcpStream.connect(l.localAddress());
            futures.add((Connecting<?>) f);
            tasks.add(Eventide.spawn(() -> f.await()));
        }
        for (Connecting<?> f : futures) {
            while (f.socketOpen() == null) {
                Eventide.yieldNow().await();
            }
        }
        return tasks;
    }

    static final int CROWD = 8;

    /** Aborts the tasks; each connect either completed (its stream is closed here) or closed its socket. */
    static int abortAll(List<JoinHandle<TcpStream>> tasks, List<Connecting<?>> futures) {
        int cancelled = 0;
        for (int i = 0; i < tasks.size(); i++) {
            tasks.get(i).abort();
            try {
                tasks.get(i).await().close();
            } catch (CancelledException e) {
                cancelled++;
                assertThat(futures.get(i).socketOpen()).as("socket of an abandoned connect").isFalse();
            }
        }
        return cancelled;
    }

    @Test
    void aTaskRetryingARefusedConnectInALoopLetsOthersRun() throws Exception {
        int refused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort(); // closed again: connecting to it is refused at once
        }
        InetSocketAddress target = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), refused);
        // One thread: if a connect that fails at once spent no budget, the loop would never let
        // the other task set the flag, and would run into its bound.
        try (Eventide rt = Eventide.builder().currentThread().build()) {
            int attempts = rt.blockOn(() -> {
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                JoinHandle<Integer> retrier = Eventide.spawn(() -> {
                    int n = 0;
                    while (!stop.get() && n < 20_000) {
                        n++;
                        try {
                            TcpStream.connect(target).await().close();
                        } catch (java.io.UncheckedIOException refusedAgain) {
                            // expected: nobody listens there
                        }
                    }
                    return n;
                });
                Eventide.spawn(() -> stop.set(true));
                return retrier.await();
            });
            assertThat(attempts).as("connect attempts before the other task ran").isLessThan(20_000);
        }
    }

    @Test
    void cancelledConnectClosesItsSocket() {
        int fds = FdCount.openAfterWarmUp();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1)) {
                    List<Connecting<?>> futures = new ArrayList<>();
                    List<JoinHandle<TcpStream>> crowd = crowd(l, futures);
                    Future<TcpStream> connect = TcpStream.connect(l.localAddress());
                    assertThat(connect.poll(Context.of(Waker.noop())).isReady()).isFalse();
                    assertThat(((Connecting<?>) connect).socketOpen()).isTrue();
                    connect.cancel();
                    assertThat(((Connecting<?>) connect).socketOpen()).isFalse();
                    abortAll(crowd, futures);
                }
            });
        }
        assertThat(FdCount.open()).isEqualTo(fds);
    }

    @Test
    void abortingTasksInConnectClosesTheirSockets() {
        int fds = FdCount.openAfterWarmUp();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1)) {
                    List<Connecting<?>> futures = new ArrayList<>();
                    List<JoinHandle<TcpStream>> crowd = crowd(l, futures);
                    assertThat(abortAll(crowd, futures)).as("connects that were still pending").isPositive();
                }
            });
        }
        assertThat(FdCount.open()).as("open descriptors: %s", FdCount.describe()).isEqualTo(fds);
    }

    @Test
    void aTimedOutConnectFailsWithTimeoutAndClosesItsSocket() {
        int fds = FdCount.openAfterWarmUp();
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            rt.blockOn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1)) {
                    List<Connecting<?>> futures = new ArrayList<>();
                    List<JoinHandle<TcpStream>> crowd = crowd(l, futures); // later SYNs are dropped
                    Future<TcpStream> connect = TcpStream.connect(l.localAddress());
                    assertThatThrownBy(() -> Time.timeout(Duration.ofMillis(200), connect).await())
                            .isInstanceOf(TimeoutExpiredException.class);
                    assertThat(((Connecting<?>) connect).socketOpen()).as("socket of the timed-out connect").isFalse();
                    abortAll(crowd, futures);
                }
            });
        }
        assertThat(FdCount.open()).as("open descriptors: %s", FdCount.describe()).isEqualTo(fds);
    }
}
