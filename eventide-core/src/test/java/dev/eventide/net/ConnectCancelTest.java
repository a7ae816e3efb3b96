package dev.eventide.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Waker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connect that is abandoned (timed out, aborted, a select loser) closes its socket. Until
 * {@code Time.timeout} is merged, the timeout is played by cancelling the future by hand and by
 * aborting the task that awaits it: both are exactly what a timeout does to its inner future.
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
}
