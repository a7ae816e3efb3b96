package dev.eventide.examples.portscan;

import java.util.BitSet;

/**
 * Parses the port lists of {@code -p}: comma-separated ports and ranges, as nmap reads them.
 *
 * <ul>
 *   <li>{@code 22}, {@code 22,80,443}: single ports;</li>
 *   <li>{@code 8000-8100}: an inclusive range; {@code -1024} is {@code 1-1024} and
 *       {@code 60000-} is {@code 60000-65535};</li>
 *   <li>{@code -} alone (written {@code -p-}): every port, 1 to 65535.</li>
 * </ul>
 * Duplicates are scanned once; the ports come out in ascending order.
 */
public final class PortSpec {
    /** The highest TCP port. */
    public static final int MAX_PORT = 65_535;

    private PortSpec() {
    }

    /**
     * The ports {@code spec} lists, ascending, each once.
     *
     * @throws IllegalArgumentException naming the faulty part if {@code spec} is malformed, a
     *     port is out of {@code [1, 65535]}, or a range is reversed
     */
    public static int[] parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty port list");
        }
        BitSet ports = new BitSet(MAX_PORT + 1);
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty entry in port list '" + spec + "'");
            }
            int dash = p.indexOf('-');
            if (dash < 0) {
                int port = port(p, spec);
                ports.set(port);
                continue;
            }
            String lo = p.substring(0, dash).strip();
            String hi = p.substring(dash + 1).strip();
            int from = lo.isEmpty() ? 1 : port(lo, spec);
            int to = hi.isEmpty() ? MAX_PORT : port(hi, spec);
            if (from > to) {
                throw new IllegalArgumentException("reversed port range '" + p + "' (" + from + " > " + to + ")");
            }
            ports.set(from, to + 1);
        }
        return ports.stream().toArray();
    }

    private static int port(String text, String spec) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' in port list '" + spec + "' is not a port number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " is out of range (1-" + MAX_PORT + ")");
        }
        return port;
    }
}
