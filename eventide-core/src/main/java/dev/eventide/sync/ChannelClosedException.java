package dev.eventide.sync;

/**
 * A send found its channel closed (the receiving side closed, or the sending handle itself was
 * closed), or a {@link Oneshot} receiver found its sender closed without sending.
 *
 * <p>When a send fails, the message was not delivered and is handed back through
 * {@link #value()}, so the caller may retry elsewhere or release what it holds.
 */
public final class ChannelClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The undelivered message, or null when the failure was not a send. */
    private final transient Object value;

    /** A failure that carries no undelivered message. */
    public ChannelClosedException(String message) {
        this(message, null);
    }

    /** A failed send; {@code value} is the message that was not delivered. */
    public ChannelClosedException(String message, Object value) {
        super(message);
        this.value = value;
    }

    /**
     * The message whose send failed, or null if this failure was not a send. The type parameter
     * is the caller's claim: it is the message type of the channel that threw.
     */
    @SuppressWarnings("unchecked")
    public <T> T value() {
        return (T) value;
    }
}
