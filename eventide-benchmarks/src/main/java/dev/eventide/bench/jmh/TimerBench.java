package dev.eventide.bench.jmh;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Waker;
import dev.eventide.runtime.time.TimeDriver;
import dev.eventide.time.Sleep;
import dev.eventide.time.Time;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Inserting a timer into the timing wheel and cancelling it: what every {@code Time.sleep},
 * {@code timeout} and {@code interval} costs, and, for timeouts that do not fire (the common
 * case: the operation finished first), all they cost.
 *
 * <ul>
 *   <li>{@link #insertCancel}: one timer armed and cancelled on a {@link TimeDriver} of its own
 *       (the driver's inbox, its try-lock, the wheel's link and unlink), at three distances
 *       that land in different wheel levels ({@code delayMs});</li>
 *   <li>{@link #insertManyThenCancel}: 1,024 timers with spread deadlines armed, then all
 *       cancelled: the same with a populated wheel and colder cache lines;</li>
 *   <li>{@link #sleepRegisterCancel}: the public path, {@code Time.sleep(d)} polled once (which
 *       registers it) and cancelled, inside a task on a current-thread runtime.</li>
 * </ul>
 * The bare driver's clock is paused, so that every insertion of a run lands at the same distance
 * from the wheel's position (which only the driver holder's firing advances); timers are
 * allocated per operation, as each {@code Sleep} is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class TimerBench {
    private static final int MANY = 1_024;
    private static final int BATCH = 1_000;

    /** Distance of the deadline, in ms (ticks): wheel level 0 (&lt; 64), 1 (&lt; 4,096), 2 (&lt; 262,144). */
    @Param({"10", "1000", "100000"})
    public long delayMs;

    private TimeDriver driver;
    private final BenchTimer[] many = new BenchTimer[MANY];
    private Eventide rt;

    /** A bare driver with a paused clock, and a runtime for the public path. */
    @Setup(Level.Trial)
    public void setUp() {
        driver = new TimeDriver(true, () -> { });
        rt = Eventide.currentThread();
    }

    /** Shuts both down. */
    @TearDown(Level.Trial)
    public void tearDown() {
        driver.shutdown();
        rt.close();
    }

    /** Arm one timer {@code delayMs} ahead and cancel it; per insert + cancel. */
    @Benchmark
    public boolean insertCancel() {
        BenchTimer t = new BenchTimer(driver, driver.nowTick() + delayMs);
        boolean fired = t.arm(Waker.noop());
        t.disarm();
        return fired;
    }

    /** Arm {@value #MANY} timers spread over {@code [delayMs, 2 * delayMs)}, then cancel them all; per timer. */
    @Benchmark
    @OperationsPerInvocation(MANY)
    public void insertManyThenCancel(Blackhole bh) {
        long now = driver.nowTick();
        Waker w = Waker.noop();
        for (int i = 0; i < MANY; i++) {
            BenchTimer t = new BenchTimer(driver, now + delayMs + (i * delayMs) / MANY);
            bh.consume(t.arm(w));
            many[i] = t;
        }
        for (int i = 0; i < MANY; i++) {
            many[i].disarm();
            many[i] = null;
        }
    }

    /** {@code Time.sleep(delayMs)} polled once and cancelled, {@value #BATCH} times in a task; per sleep. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sleepRegisterCancel() {
        Duration d = Duration.ofMillis(delayMs);
        return rt.blockOn(() -> {
            Context cx = Context.of(Waker.noop());
            int pending = 0;
            for (int i = 0; i < BATCH; i++) {
                Sleep s = Time.sleep(d);
                if (!s.poll(cx).isReady()) {
                    pending++;
                }
                s.cancel();
            }
            return pending;
        });
    }
}
