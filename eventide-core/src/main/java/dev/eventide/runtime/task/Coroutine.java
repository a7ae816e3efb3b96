package dev.eventide.runtime.task;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The one class that touches {@code jdk.internal.vm.Continuation}: an async block's stack,
 * mounted on whichever worker polls its task and unmounted at each suspending {@code await}.
 *
 * <p>On JDK 24+ a continuation that yields inside {@code synchronized} keeps the monitor and may
 * resume on another thread (JEP 491); a yield that is pinned (a native frame on the stack, a
 * critical section) cannot happen, and {@link #onPinned} turns it into an exception at the
 * {@code await} rather than a hang.
 */
final class Coroutine extends Continuation {
    private static final ContinuationScope SCOPE = new ContinuationScope("eventide-async-block");

    Coroutine(Runnable body) {
        super(SCOPE, body);
    }

    /** Whether the caller runs on this coroutine (it is mounted, and the innermost of its scope). */
    boolean isCurrent() {
        return Continuation.getCurrentContinuation(SCOPE) == this;
    }

    /** Unmounts the calling block; returns when a worker resumes it. */
    static void suspend() {
        Continuation.yield(SCOPE);
    }

    /**
     * The frames of this coroutine while it is unmounted (suspended at an {@code await}),
     * innermost first. The caller must guarantee that no thread mounts it meanwhile (the task's
     * {@code RUNNING} bit, see {@code Task.inspectIdle}): walking a continuation that is being
     * resumed is undefined. Frames of the runtime's own await machinery come first.
     */
    StackTraceElement[] suspendedStackTrace() {
        return getStackTrace();
    }

    @Override
    protected void onPinned(Continuation.Pinned reason) {
        throw new IllegalStateException("await() cannot suspend this async block: its stack is pinned ("
                + reason + "), because a native frame (such as a JNI call or a callback from native code)"
                + " or a critical section is on the stack between the block and the await. Await outside that"
                + " frame, or run the blocking part with Eventide.spawnBlocking.");
    }
}
