package dev.eventide;

/**
 * Thrown to whoever joins a task that completed by throwing: the {@linkplain #getCause() cause}
 * is what the task threw. Its counterpart for an aborted task is {@link CancelledException}.
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskFailedException(Throwable cause) {
        super("task failed: " + cause, cause);
    }
}
