package dev.eventide.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.runtime.driver.Driver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * The readiness protocol of {@link Registration} against a real selector, without a scheduler:
 * a driver thread blocks in {@code select} and dispatches; a reader thread follows the operation
 * protocol (poll readiness, try the read, clear readiness on would-block, park until woken); a
 * writer feeds it one byte at a time, so events race with clears and with interest changes from
 * a thread that is not selecting. A lost wake-up would leave the reader parked: it parks with a
 * generous bound and the test fails if any park ran out instead of being woken.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistrationStressTest {
    static final int ROUNDS = 20_000;

    @RepeatedTest(3)
    void noLostWakeUps() throws Exception {
        try (Driver driver = new Driver(false)) {
            Pipe pipe = Pipe.open();
            Registration reg = Registration.register(driver, pipe.source(), SelectionKey.OP_READ, 0, "test pipe");
            AtomicBoolean stop = new AtomicBoolean();
            Thread selecting = new Thread(() -> {
                while (!stop.get()) {
                    if (driver.tryLock()) {
                        try {
                            driver.park(-1);
                        } finally {
                            driver.unlock();
                        }
                    }
                }
            }, "test-driver");
            selecting.start();
            Semaphore consumed = new Semaphore(0);
            Thread writer = new Thread(() -> {
                ByteBuffer one = ByteBuffer.allocate(1);
                try {
                    for (int i = 0; i < ROUNDS; i++) {
                        one.clear().put((byte) i).flip();
                        pipe.sink().write(one);
                        consumed.acquire();
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "test-writer");
            writer.start();
            Thread me = Thread.currentThread();
            AtomicBoolean woken = new AtomicBoolean();
            Context cx = Context.of(() -> {
                woken.set(true);
                LockSupport.unpark(me);
            });
            SplittableRandom rnd = new SplittableRandom(42);
            ByteBuffer buf = ByteBuffer.allocate(1);
            int lost = 0;
            for (int i = 0; i < ROUNDS; i++) {
                for (;;) {
                    int s = reg.pollReady(cx, Registration.READ);
                    if (s == Registration.NOT_READY) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                        while (!woken.get() && System.nanoTime() < deadline) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                        }
                        if (!woken.getAndSet(false)) {
                            lost++;
                        }
                        continue;
                    }
                    if (rnd.nextInt(8) == 0) {
                        Thread.onSpinWait(); // sometimes slow: let the selector report the key again
                        Thread.yield();
                    }
                    int n = ((Pipe.SourceChannel) reg.channel()).read(buf.clear());
                    if (n > 0) {
                        assertThat(buf.get(0)).isEqualTo((byte) i);
                        break;
                    }
                    reg.clearReady(s, Registration.READ);
                }
                consumed.release();
            }
            writer.join();
            stop.set(true);
            driver.wakeup();
            selecting.join();
            reg.close();
            pipe.sink().close();
            assertThat(lost).as("reads whose wake-up never came").isZero();
        }
    }
}
