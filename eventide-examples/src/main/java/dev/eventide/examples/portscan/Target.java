package dev.eventide.examples.portscan;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One host to scan: its address, and the name the user gave for it (null for an address or a
 * member of a range).
 *
 * @param name the host name as written, or null
 * @param address the address probed
 */
public record Target(String name, InetAddress address) {
    /** @throws NullPointerException if {@code address} is null */
    public Target {
        Objects.requireNonNull(address, "address");
    }

    /** The address in text form, without the reverse lookup {@link InetAddress#toString()} may show. */
    public String ip() {
        return address.getHostAddress();
    }

    /** {@code name (address)} or just the address. */
    public String display() {
        return name == null ? ip() : name + " (" + ip() + ")";
    }
}
