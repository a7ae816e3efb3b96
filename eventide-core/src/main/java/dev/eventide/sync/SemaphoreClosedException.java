package dev.eventide.sync;

/**
 * Thrown by an acquire of a {@link Semaphore} that has been {@linkplain Semaphore#close()
 * closed}, including acquires that were already waiting when it was closed.
 */
public class SemaphoreClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SemaphoreClosedException() {
        super("semaphore is closed");
    }
}
