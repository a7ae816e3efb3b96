package dev.eventide.runtime.driver;

/**
 * The attachment of every {@code SelectionKey} registered with the driver's selector: told which
 * operations became ready, it records the readiness and wakes the tasks waiting for it. Called
 * by the worker that holds the driver, inside {@link Driver#park}; must not block.
 */
public interface IoEvents {
    /** @param readyOps the key's ready set ({@code SelectionKey.OP_*} bits) */
    void onReady(int readyOps);
}
