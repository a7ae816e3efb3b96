package dev.eventide.sync;

/**
 * A {@link Broadcast} receiver fell so far behind that messages it had not received were
 * overwritten. The receiver has been moved to the oldest message still held, so the next receive
 * continues from there; {@link #missed()} says how many were skipped.
 */
public final class LaggedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long missed;

    /** A receiver skipped {@code missed} messages. */
    public LaggedException(long missed) {
        super("broadcast receiver lagged behind and missed " + missed + " message(s)");
        this.missed = missed;
    }

    /** How many messages this receiver will never see. */
    public long missed() {
        return missed;
    }
}
