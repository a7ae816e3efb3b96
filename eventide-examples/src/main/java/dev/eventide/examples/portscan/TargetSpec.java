package dev.eventide.examples.portscan;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One target as written on the command line: a host name (resolved later, on the runtime's
 * blocking pool), an IPv4 or IPv6 address, or a CIDR range of either family. Parsing never
 * touches the network: a malformed address or range is a usage error before anything runs.
 */
public sealed interface TargetSpec {
    /** The text the user wrote. */
    String text();

    /** How many hosts this target stands for (1 for a name or an address). */
    BigInteger hostCount();

    /**
     * Parses one target.
     *
     * @throws IllegalArgumentException naming the problem if {@code text} is neither a valid host
     *     name, nor an address, nor a range
     */
    static TargetSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty target");
        }
        int slash = t.indexOf('/');
        if (slash >= 0) {
            return Range.parse(t, slash);
        }
        if (Addresses.looksLikeAddress(t)) {
            return new Address(t, Addresses.parseLiteral(t));
        }
        if (!Addresses.isHostName(t)) {
            throw new IllegalArgumentException("'" + t + "' is not a host name, an IP address or a CIDR range");
        }
        return new Name(t);
    }

    /** A host name, resolved when the scan starts. */
    record Name(String text) implements TargetSpec {
        @Override
        public BigInteger hostCount() {
            return BigInteger.ONE;
        }
    }

    /** An IPv4 or IPv6 address literal. */
    record Address(String text, InetAddress address) implements TargetSpec {
        @Override
        public BigInteger hostCount() {
            return BigInteger.ONE;
        }
    }

    /**
     * A CIDR range: every address whose first {@code prefix} bits are those of {@code network}
     * (host bits written by the user are ignored, as nmap does: {@code 10.0.0.7/24} is
     * {@code 10.0.0.0/24}). Every address is scanned, the network and broadcast ones included.
     */
    record Range(String text, InetAddress network, int prefix) implements TargetSpec {
        static Range parse(String t, int slash) {
            String addr = t.substring(0, slash);
            String bits = t.substring(slash + 1);
            if (!Addresses.looksLikeAddress(addr)) {
                throw new IllegalArgumentException("CIDR range '" + t + "' does not start with an IP address");
            }
            InetAddress base = Addresses.parseLiteral(addr);
            int width = base.getAddress().length * 8;
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("CIDR range '" + t + "' has no valid prefix length after '/'");
            }
            int prefix = Integer.parseInt(bits);
            if (prefix > width) {
                throw new IllegalArgumentException("CIDR range '" + t + "': prefix /" + prefix
                        + " is longer than the " + width + " bits of the address");
            }
            byte[] b = base.getAddress();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.clamp(prefix - i * 8L, 0, 8);
                b[i] &= (byte) (0xff << (8 - keep));
            }
            return new Range(t, Addresses.of(b), prefix);
        }

        @Override
        public BigInteger hostCount() {
            return BigInteger.ONE.shiftLeft(network.getAddress().length * 8 - prefix);
        }

        /** Every address of the range, in order. Call only after checking {@link #hostCount()}. */
        public List<InetAddress> addresses() {
            int n = hostCount().intValueExact();
            List<InetAddress> out = new ArrayList<>(n);
            BigInteger first = new BigInteger(1, network.getAddress());
            int len = network.getAddress().length;
            for (int i = 0; i < n; i++) {
                out.add(Addresses.of(Addresses.toBytes(first.add(BigInteger.valueOf(i)), len)));
            }
            return out;
        }
    }

    /** Address literal helpers (no name service is ever asked). */
    final class Addresses {
        private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
        private static final Pattern NUMERIC_DOTTED = Pattern.compile("[0-9.]+");

        private Addresses() {
        }

        /** IPv6 (has a colon, maybe in brackets) or all digits and dots (meant as IPv4). */
        static boolean looksLikeAddress(String t) {
            return t.indexOf(':') >= 0 || t.startsWith("[") || NUMERIC_DOTTED.matcher(t).matches();
        }

        static InetAddress parseLiteral(String t) {
            if (t.indexOf(':') >= 0 || t.startsWith("[")) {
                String inner = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
                try {
                    return Inet6Address.ofLiteral(inner);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + t + "' is not a valid IPv6 address");
                }
            }
            String[] parts = t.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("'" + t + "' is not a valid IPv4 address (it needs four numbers"
                        + " separated by dots)");
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    throw new IllegalArgumentException("'" + t + "' is not a valid IPv4 address ('" + p
                            + "' is not a number from 0 to 255)");
                }
                b[i] = (byte) Integer.parseInt(p);
            }
            return of(b);
        }

        /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
        static boolean isHostName(String t) {
            String name = t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
            if (name.isEmpty() || name.length() > 253) {
                return false;
            }
            for (String label : name.split("\\.", -1)) {
                if (!HOST_LABEL.matcher(label).matches()) {
                    return false;
                }
            }
            return true;
        }

        static InetAddress of(byte[] b) {
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad address length " + b.length, e);
            }
        }

        static byte[] toBytes(BigInteger v, int len) {
            byte[] raw = v.toByteArray();
            byte[] out = new byte[len];
            int copy = Math.min(raw.length, len);
            System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
            return out;
        }
    }
}
