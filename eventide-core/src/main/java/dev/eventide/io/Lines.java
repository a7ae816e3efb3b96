package dev.eventide.io;

import dev.eventide.Future;

/**
 * The lines of a {@link BufReader} ({@link BufReader#lines()}), tokio's {@code Lines}.
 *
 * <pre>{@code
 * Lines lines = new BufReader(stream).lines();
 * for (String line; (line = lines.next().await()) != null; ) { ... }
 * }</pre>
 *
 * <p>Cancellation safety: as {@link BufReader#readLine()}: a cancelled {@code next()} loses
 * nothing, the next call resumes the same line.
 */
public final class Lines {
    private final BufReader reader;

    Lines(BufReader reader) {
        this.reader = reader;
    }

    /** The next line, without its terminator; null at end of stream. */
    public Future<String> next() {
        return reader.readLine();
    }
}
