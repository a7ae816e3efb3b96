package dev.eventide;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A worker thread found stuck in one task poll for longer than the runtime's
 * {@linkplain Eventide.Builder#blockedWorkerThreshold blocked-worker threshold}: a task blocked
 * the event loop (a blocking call, a long computation) instead of awaiting or using
 * {@link Eventide#spawnBlocking}. Reported once per incident, while the poll is still running,
 * to the runtime's {@linkplain Eventide#addBlockedWorkerListener listeners} and to the
 * {@code System.Logger} named {@code dev.eventide.runtime} at {@code WARNING}.
 *
 * @param worker     the worker thread's name
 * @param task       the blocking task's description (its kind, body class and identity)
 * @param blockedFor how long the poll had been running when it was detected (at least)
 * @param stackTrace the worker's stack at detection, innermost frame first: the blocking call
 */
public record BlockedWorkerIncident(String worker, String task, Duration blockedFor,
                                    List<StackTraceElement> stackTrace) {
    /** Checks the components and copies the stack trace, so the incident is immutable. */
    public BlockedWorkerIncident {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(blockedFor, "blockedFor");
        stackTrace = List.copyOf(Objects.requireNonNull(stackTrace, "stackTrace"));
    }

    /** A multi-line description: what blocked, where, and the stack. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("worker ").append(worker).append(" has been blocked for at least ")
                .append(blockedFor.toMillis()).append(" ms in one poll of ").append(task)
                .append(" (a blocking call on the event loop? use Eventide.spawnBlocking or blockInPlace)");
        for (StackTraceElement e : stackTrace) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }
}
