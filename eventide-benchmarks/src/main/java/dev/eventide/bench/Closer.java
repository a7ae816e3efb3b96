package dev.eventide.bench;

/** Shuts down what a {@link Trial} built; a lambda-friendly {@code AutoCloseable}. */
@FunctionalInterface
interface Closer {
    /** Shuts down; may be called more than once. */
    void close() throws Exception;
}
