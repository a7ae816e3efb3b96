package dev.eventide.bench;

/**
 * Thrown while opening a workload on a system that cannot run here, for a reason that is no
 * fault of the system under test: Netty's native epoll transport on a machine where it does not
 * load, a load generator ({@code cc}, {@code wrk}) that is not installed. The harness reports the
 * pair as <em>skipped</em>, with this message as the reason, never as failed.
 */
final class SkippedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A skip whose message says why, in words a reader of the report understands. */
    SkippedException(String reason) {
        super(reason);
    }
}
