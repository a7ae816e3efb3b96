package dev.eventide.bench.jmh;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.sync.Mpsc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code Mpsc} channel's send and receive, from the bare ring up to tasks waiting on it:
 * <ul>
 *   <li>{@link #trySendTryRecv}: one thread, no runtime, {@code trySend} then {@code tryRecv}: the
 *       ring's cost alone (a CAS on the capacity counter, an add on the tail, a CAS to take);</li>
 *   <li>{@link #sendRecvAwait}: the same pair awaited inside a task, where both complete at the
 *       first poll: the futures' and the coop budget's overhead on top of the ring;</li>
 *   <li>{@code tryPair} and {@code tryPair2}: producer and consumer threads hammering one channel
 *       with {@code trySend}/{@code tryRecv} (1 and 2 producers), no waiting: the ring under
 *       contention, in operations per microsecond; the aux counters {@code sent} and
 *       {@code received} are the successful operations, {@code full} and {@code empty} the failed
 *       attempts (on a machine with fewer free cores than threads they mostly measure time
 *       slices: one side fills or drains the ring while the other is descheduled);</li>
 *   <li>{@link #tasks}: producer tasks and a consumer task on a 2-worker runtime moving a batch
 *       through a channel of capacity 1,024 (W7 of {@code bench/WORKLOADS.md} in miniature),
 *       where a full or empty channel parks a task and the other side's operation wakes it.</li>
 * </ul>
 * Messages are one preallocated boxed {@code Long}, so that no figure includes boxing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class MpscBench {
    private static final Long MESSAGE = 42L;
    private static final int BATCH = 1_000;
    /** Messages per invocation of {@link #tasks}. */
    private static final int MESSAGES = 100_000;

    /** A channel of capacity 1,024 used by one thread, and a current-thread runtime to await in. */
    @State(Scope.Thread)
    public static class Solo {
        final Mpsc<Long> ch = Mpsc.bounded(1024);
        Eventide rt;

        /** Builds the runtime. */
        @Setup(Level.Trial)
        public void setUp() {
            rt = Eventide.currentThread();
        }

        /** Shuts it down. */
        @TearDown(Level.Trial)
        public void tearDown() {
            rt.close();
        }
    }

    /** {@code trySend} then {@code tryRecv} on an empty channel, on a plain thread; per pair. */
    @Benchmark
    public Long trySendTryRecv(Solo s) {
        s.ch.tx().trySend(MESSAGE);
        return s.ch.rx().tryRecv();
    }

    /** {@code send(..).await()} then {@code recv().await()} inside a task, {@value #BATCH} times; per pair. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sendRecvAwait(Solo s) {
        Mpsc.Sender<Long> tx = s.ch.tx();
        Mpsc.Receiver<Long> rx = s.ch.rx();
        return s.rt.blockOn(() -> {
            long sum = 0;
            for (int i = 0; i < BATCH; i++) {
                tx.send(MESSAGE).await();
                sum += rx.recv().await();
            }
            return sum;
        });
    }

    /** The channel a producer group and its consumer share (capacity 1,024). */
    @State(Scope.Group)
    public static class Shared {
        final Mpsc<Long> ch = Mpsc.bounded(1024);
    }

    /** Successful and failed sends of one producer thread, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class SendCounts {
        /** Messages sent. */
        public long sent;
        /** Attempts that found the channel full. */
        public long full;

        /** Counters restart every iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            sent = 0;
            full = 0;
        }
    }

    /** Successful and failed receives of the consumer thread, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class RecvCounts {
        /** Messages received. */
        public long received;
        /** Attempts that found the channel empty. */
        public long empty;

        /** Counters restart every iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            received = 0;
            empty = 0;
        }
    }

    /** One producer's attempt; never waits (a loop here could spin forever once the consumer stops). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("tryPair")
    @GroupThreads(1)
    public boolean tryPairSend(Shared s, SendCounts c) {
        return send(s, c);
    }

    /** The consumer's attempt. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("tryPair")
    @GroupThreads(1)
    public Long tryPairRecv(Shared s, RecvCounts c) {
        return recv(s, c);
    }

    /** As {@code tryPair}, with two producer threads (the multi-producer path: the tail is contended). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("tryPair2")
    @GroupThreads(2)
    public boolean tryPair2Send(Shared s, SendCounts c) {
        return send(s, c);
    }

    /** The consumer's attempt. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("tryPair2")
    @GroupThreads(1)
    public Long tryPair2Recv(Shared s, RecvCounts c) {
        return recv(s, c);
    }

    private static boolean send(Shared s, SendCounts c) {
        boolean ok = s.ch.tx().trySend(MESSAGE);
        if (ok) {
            c.sent++;
        } else {
            c.full++;
        }
        return ok;
    }

    private static Long recv(Shared s, RecvCounts c) {
        Long m = s.ch.rx().tryRecv();
        if (m != null) {
            c.received++;
        } else {
            c.empty++;
        }
        return m;
    }

    /** A 2-worker runtime for the task benchmark. */
    @State(Scope.Benchmark)
    public static class Workers {
        /** Producer tasks. */
        @Param({"1", "4"})
        public int producers;

        Eventide rt;

        /** Builds the runtime. */
        @Setup(Level.Trial)
        public void setUp() {
            rt = Eventide.builder().workerThreads(2).build();
        }

        /** Shuts it down. */
        @TearDown(Level.Trial)
        public void tearDown() {
            rt.close();
        }
    }

    /**
     * {@value #MESSAGES} messages from {@code producers} tasks to one consumer task through a
     * fresh channel of capacity 1,024, all awaiting; per message.
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long tasks(Workers w) {
        int producers = w.producers;
        return w.rt.blockOn(() -> {
            Mpsc<Long> ch = Mpsc.bounded(1024);
            JoinHandle<Long> consumer = Eventide.spawn(() -> {
                long n = 0;
                for (int i = 0; i < MESSAGES; i++) {
                    n += ch.rx().recv().await();
                }
                return n;
            });
            List<JoinHandle<Void>> sending = new ArrayList<>(producers);
            for (int p = 0; p < producers; p++) {
                Mpsc.Sender<Long> tx = p == 0 ? ch.tx() : ch.tx().clone();
                int share = MESSAGES / producers + (p < MESSAGES % producers ? 1 : 0);
                sending.add(Eventide.spawn(() -> {
                    for (int i = 0; i < share; i++) {
                        tx.send(MESSAGE).await();
                    }
                    return null;
                }));
            }
            for (JoinHandle<Void> h : sending) {
                h.await();
            }
            return consumer.await();
        });
    }
}
