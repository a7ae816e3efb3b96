package dev.eventide.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Eventide;
import dev.eventide.Future;
import dev.eventide.Waker;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * The stream's notify/waker handshake under contention, without real signals: deliveries come
 * from a plain thread (as from the JVM's dispatcher), receives from a task that sometimes
 * abandons a half-polled receive. A lost wake-up hangs the test, which the timeout turns into a
 * failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalStreamStressTest {
    @RepeatedTest(3)
    void noDeliveryIsMissedUnderRandomCancellation() throws Exception {
        int rounds = 20_000;
        SignalStream s = new SignalStream(SignalSlot.forName("STRESS-ONLY")); // never installs a handler
        Semaphore turn = new Semaphore(0);
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rounds; i++) {
                turn.acquireUninterruptibly();
                s.deliver();
            }
        });
        try (Eventide rt = Eventide.builder().workerThreads(2).build()) {
            int received = rt.blockOn(() -> {
                int n = 0;
                for (int i = 0; i < rounds; i++) {
                    turn.release();
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        Future<Void> abandoned = s.recv();
                        if (abandoned.poll(Context.of(Waker.noop())).isReady()) {
                            n++;
                            continue;
                        }
                        abandoned.cancel();
                    }
                    s.recv().await();
                    n++;
                }
                return n;
            });
            assertThat(received).isEqualTo(rounds);
        }
        sender.join();
        s.close();
    }
}
