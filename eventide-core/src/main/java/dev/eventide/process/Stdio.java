package dev.eventide.process;

/**
 * Where one of a child's standard streams goes (tokio's {@code Stdio}).
 */
public enum Stdio {
    /** Shares the parent's stream (the default for all three). */
    INHERIT,
    /** A pipe whose other end the parent reads or writes through the {@link Child}. */
    PIPED,
    /** Nothing: stdin reads end of stream at once, output is discarded. */
    NULL
}
