package dev.eventide.examples.portscan;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
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

    /**
     * The address in text form, without the reverse lookup {@link InetAddress#toString()} may
     * show; IPv6 in the RFC 5952 short form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}).
     */
    public String ip() {
        String full = address.getHostAddress();
        return address instanceof Inet6Address ? compress(full) : full;
    }

    /** RFC 5952: drop leading zeros (the JDK already does), and write the longest run of two or more zero groups as {@code ::}. */
    static String compress(String ipv6) {
        int scope = ipv6.indexOf('%');
        String suffix = scope >= 0 ? ipv6.substring(scope) : "";
        String[] groups = (scope >= 0 ? ipv6.substring(0, scope) : ipv6).split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return ipv6;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail + suffix;
    }

    /** {@code name (address)} or just the address. */
    public String display() {
        return name == null ? ip() : name + " (" + ip() + ")";
    }
}
