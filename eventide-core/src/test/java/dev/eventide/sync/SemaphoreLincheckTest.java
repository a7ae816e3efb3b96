package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model checking of {@link Semaphore} with Lincheck: every interleaving (up to the bounds) of
 * concurrent acquires, cancellations and releases.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SemaphoreLincheckTest {
    private static final Context NOOP = Context.of(Waker.noop());

    /**
     * Without waiters the semaphore is a counter: try-acquire, release and the count must be
     * linearizable.
     */
    public static class FastPath {
        private final Semaphore semaphore = new Semaphore(2);

        @Operation
        public boolean tryAcquire() {
            Semaphore.Permit p = semaphore.tryAcquire();
            if (p == null) {
                return false;
            }
            p.forget(); // the model is a plain counter: permits come back through addPermit
            return true;
        }

        @Operation
        public void addPermit() {
            semaphore.addPermits(1);
        }

        @Operation
        public int available() {
            return semaphore.availablePermits();
        }
    }

    /**
     * Waiting acquires that are cancelled race with releases that assign permits to them: a
     * fair semaphore's transient states are not those of a counter, so the operations return
     * nothing and the check is that no permit is ever lost or created.
     */
    public static class Cancellation {
        private static final int PERMITS = 2;
        private final Semaphore semaphore = new Semaphore(PERMITS);
        private final ConcurrentLinkedQueue<Semaphore.Permit> held = new ConcurrentLinkedQueue<>();

        private void pollThenCancel(int n, int polls) {
            Future<Semaphore.Permit> f = semaphore.acquire(n);
            for (int i = 0; i < polls; i++) {
                Poll<Semaphore.Permit> p = f.poll(NOOP);
                if (p.isReady()) {
                    held.add(p.value());
                    return;
                }
            }
            f.cancel();
        }

        @Operation
        public void acquireOnceOrCancel() {
            pollThenCancel(1, 1);
        }

        @Operation
        public void acquireTwoTwiceOrCancel() {
            pollThenCancel(2, 2);
        }

        @Operation
        public void release() {
            Semaphore.Permit p = held.poll();
            if (p != null) {
                p.close();
            }
        }

        @Validate
        public void noPermitLost() {
            int out = 0;
            for (Semaphore.Permit p : held) {
                out += p.permits();
            }
            if (semaphore.availablePermits() + out != PERMITS) {
                throw new IllegalStateException("permits not conserved: " + semaphore.availablePermits()
                        + " free + " + out + " held != " + PERMITS);
            }
        }
    }

    @Test
    void fastPathIsLinearizable() {
        new ModelCheckingOptions().iterations(4).invocationsPerIteration(100).threads(3).actorsPerThread(3)
                .check(FastPath.class);
    }

    @Test
    void cancelledWaitersNeverLosePermits() {
        new ModelCheckingOptions().iterations(8).invocationsPerIteration(200).threads(3).actorsPerThread(3)
                .check(Cancellation.class);
    }
}
