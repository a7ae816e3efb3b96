package dev.eventide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.net.TcpListener;
import dev.eventide.net.TcpStream;
import dev.eventide.time.Time;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a worker does when it runs out of work: it spins a while before it parks
 * ({@code spinBeforePark}), then parks and burns nothing; and what it does while only tasks that
 * yield are left: it keeps serving timers and I/O.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleWorkerTest {
    private static final int ROUNDS = 200;

    /** Parks of every worker so far. */
    private static long parks(Eventide rt) {
        return rt.metrics().perWorker().stream().mapToLong(RuntimeMetrics.Worker::parks).sum();
    }

    /**
     * ROUNDS times: spawn a task from outside, join it, and compute for 100 µs before the next
     * round (long enough for the worker to run dry and reach its park, well within a spin of
     * 1 ms); returns the parks during the rounds.
     */
    private static long parksDuringRounds(Eventide rt) {
        rt.handle().spawn(() -> 0).join(); // started and warm
        long before = parks(rt);
        for (int i = 0; i < ROUNDS; i++) {
            int expected = i;
            assertThat(rt.handle().spawn(() -> expected).join()).isEqualTo(expected);
            long until = System.nanoTime() + 100_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        return parks(rt) - before;
    }

    @Test
    void aWorkerThatRanDryTakesWorkThatArrivesWhileItSpinsWithoutParking() {
        long withSpin;
        try (Eventide rt = Eventide.builder().workerThreads(1).spinBeforePark(Duration.ofMillis(1)).build()) {
            withSpin = parksDuringRounds(rt);
        }
        long without;
        try (Eventide rt = Eventide.builder().workerThreads(1).spinBeforePark(Duration.ZERO).build()) {
            without = parksDuringRounds(rt);
        }
        // Without a spin the worker parks each time it runs dry; with one, the next task arrives
        // while it still spins, unless the spawning thread lost its CPU for most of a millisecond
        // (seen here: 196-200 parks without; with, 0 on a quiet machine, 1-25 beside two CPU hogs).
        assertThat(without).isGreaterThanOrEqualTo(ROUNDS * 3 / 4);
        assertThat(withSpin).isLessThan(ROUNDS / 2);
    }

    @Test
    void anIdleRuntimeStopsSpinningAndBurnsNoCpu() throws Exception {
        try (Eventide rt = Eventide.builder().workerThreads(2).spinBeforePark(Duration.ofMillis(1)).build()) {
            List<JoinHandle<Integer>> hs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int v = i;
                hs.add(rt.handle().spawn(() -> v));
            }
            for (JoinHandle<Integer> h : hs) {
                h.join();
            }
            Duration before = busy(rt); // the last spins may still run: at most 1 ms per worker
            long idleStart = System.nanoTime();
            Thread.sleep(300); // the idle time being measured
            Duration idle = Duration.ofNanos(System.nanoTime() - idleStart);
            Duration spent = busy(rt).minus(before);
            // Busy time is wall time not parked, summed over the workers: parked workers add none.
            assertThat(spent).isLessThan(idle.dividedBy(10));
        }
    }

    private static Duration busy(Eventide rt) {
        return rt.metrics().perWorker().stream().map(RuntimeMetrics.Worker::busyTime).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * Every worker busy with tasks that yield in a loop: a sleep and a loopback round trip, made
     * by another task, still complete (workers poll the driver every few ticks, and at least
     * every 50 µs, between yields).
     */
    @Test
    void tasksYieldingOnEveryWorkerLeaveTimersAndIoServed() {
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            AtomicBoolean done = new AtomicBoolean();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<JoinHandle<Long>> yielders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                yielders.add(rt.handle().spawn(() -> {
                    long yields = 0;
                    while (!done.get() && System.nanoTime() < deadline) {
                        Eventide.yieldNow().await();
                        yields++;
                    }
                    return yields;
                }));
            }
            String echoed = rt.blockOn(() -> {
                try {
                    Time.sleep(Duration.ofMillis(3)).await();
                    return roundTrip("ping");
                } finally {
                    done.set(true);
                }
            });
            assertThat(echoed).isEqualTo("ping");
            for (JoinHandle<Long> y : yielders) {
                assertThat(y.join()).isPositive();
            }
            assertThat(System.nanoTime()).isLessThan(deadline); // the yielders stopped because we finished
        }
    }

    private static String roundTrip(String text) throws Exception {
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
            JoinHandle<Void> server = Eventide.spawn(() -> {
                try (TcpStream s = listener.accept().await()) {
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    s.readExact(buf.limit(text.length())).await();
                    s.writeAll(buf.flip()).await();
                }
            });
            try (TcpStream c = TcpStream.connect(listener.localAddress()).await()) {
                c.writeAll(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII))).await();
                ByteBuffer back = ByteBuffer.allocate(text.length());
                c.readExact(back).await();
                server.await();
                return new String(back.array(), StandardCharsets.US_ASCII);
            }
        }
    }
}
