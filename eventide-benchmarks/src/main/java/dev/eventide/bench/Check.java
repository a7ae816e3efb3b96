package dev.eventide.bench;

/** Result checks of an iteration: a wrong result fails the workload instead of producing a figure. */
final class Check {
    private Check() {
    }

    static void equal(long actual, long expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException("wrong result: " + what + " is " + actual + ", expected " + expected);
        }
    }
}
