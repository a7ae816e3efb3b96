package dev.eventide.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventide.Context;
import dev.eventide.Waker;
import dev.eventide.runtime.driver.Driver;
import dev.eventide.runtime.time.TimeDriver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The paused clock's auto-advance against timers registered while the runtime goes idle: the
 * clock may only jump to the earliest deadline pending once the runtime is idle, never to one
 * that was the earliest when the driver holder looked at the wheel a moment before.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class VirtualClockRaceTest {

    /**
     * The holder reads the wheel (next deadline: tick 100), then asks whether the runtime is
     * idle. In between, a task on another worker registers a timer due at tick 40 and its worker
     * parks, so the probe says idle. The probe below plays that task, deterministically: the
     * clock must stop at 40 first, where that timer fires alone, as it would have without the
     * race. (The driver used to jump to the wheel's stale next expiration, the cascade of tick
     * 100's slot at 64, and fire the timer 24 ms of virtual time late: the likely cause of the
     * one wrong outcome VirtualClockTest's timeout-heavy scenario once had on a loaded machine.)
     */
    @Test
    void aTimerRegisteredWhileTheRuntimeGoesIdleIsNotJumpedOver() {
        try (Driver driver = new Driver(true)) {
            TimeDriver time = driver.time();
            Context cx = Context.of(Waker.noop());
            Sleep later = new Sleep(time, 100);
            assertThat(later.poll(cx).isReady()).isFalse();
            Sleep[] earlier = new Sleep[1];
            driver.setIdleProbe(() -> {
                if (earlier[0] == null) {
                    earlier[0] = new Sleep(time, 40);
                    assertThat(earlier[0].poll(cx).isReady()).isFalse();
                }
                return true;
            });

            // Each park of an idle runtime moves the clock at most to the next deadline and fires
            // what is due; a park may also decline to move it and only look again.
            for (int parks = 0; parks < 10 && (earlier[0] == null || !earlier[0].isElapsed()); parks++) {
                driver.park(-1);
            }
            assertThat(earlier[0].isElapsed()).isTrue();
            assertThat(time.nowTick()).as("the tick at which the earlier timer fired").isEqualTo(40);
            assertThat(later.isElapsed()).isFalse();

            for (int parks = 0; parks < 10 && !later.isElapsed(); parks++) {
                driver.park(-1);
            }
            assertThat(later.isElapsed()).isTrue();
            assertThat(time.nowTick()).isEqualTo(100);
        }
    }
}
