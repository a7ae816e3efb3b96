package dev.eventide.examples.portscan;

import java.util.Locale;

/** What a probe found out about one port, in the words port scanners use. */
public enum PortState {
    /** A connection was accepted: something listens there. */
    OPEN,
    /** The host answered the connect with a reset: nothing listens there. */
    CLOSED,
    /**
     * No answer within the timeout (after every retry), or the host was unreachable: a firewall
     * drops the packets, or the listener's queue is full.
     */
    FILTERED,
    /** The probe failed on this side (no socket could be opened, for one); the detail says why. */
    ERROR;

    /** The lower-case name printed in reports ({@code open}, {@code closed}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
