package dev.eventide;

import java.util.concurrent.CancellationException;

/**
 * Thrown by {@code await()} inside a task that has been aborted, so that its {@code finally}
 * blocks and try-with-resources run as the task unwinds; and thrown to whoever joins a task that
 * was aborted before it completed.
 *
 * <p>It is a {@link CancellationException}, so code written against {@code java.util.concurrent}
 * recognises it. A task that <em>throws</em> some exception is not cancelled: joining it throws
 * {@link TaskFailedException}, whose cause is that exception.
 */
public class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String message) {
        super(message);
    }
}
