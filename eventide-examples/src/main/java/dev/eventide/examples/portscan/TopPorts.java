package dev.eventide.examples.portscan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The embedded list of the most frequently open TCP ports, most frequent first, with their
 * service names: the resource {@code top-ports-tcp.txt} beside this class, whose header names its
 * source (Nmap's frequency ranking in {@code nmap-services}). The scanner's default port set is
 * this list; {@code --top N} takes its first {@code N} entries.
 */
public final class TopPorts {
    /** The resource name, relative to this class. */
    static final String RESOURCE = "top-ports-tcp.txt";

    private static final TopPorts INSTANCE = load();

    private final int[] ranked;
    private final Map<Integer, String> services;

    private TopPorts(int[] ranked, Map<Integer, String> services) {
        this.ranked = ranked;
        this.services = services;
    }

    /** The embedded list (loaded once). */
    public static TopPorts get() {
        return INSTANCE;
    }

    /** How many ports the list holds. */
    public int size() {
        return ranked.length;
    }

    /**
     * The {@code n} most frequently open ports, most frequent first.
     *
     * @throws IllegalArgumentException if {@code n} is not in {@code [1, size()]}
     */
    public int[] top(int n) {
        if (n < 1 || n > ranked.length) {
            throw new IllegalArgumentException("--top must be between 1 and " + ranked.length
                    + " (the size of the embedded list), was " + n);
        }
        return Arrays.copyOf(ranked, n);
    }

    /** The service name usually found on {@code port}, or {@code null} if the list names none. */
    public String service(int port) {
        return services.get(port);
    }

    private static TopPorts load() {
        try (InputStream in = TopPorts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the examples jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }

    static TopPorts parse(BufferedReader reader) throws IOException {
        int[] ranked = new int[128];
        int n = 0;
        Map<Integer, String> services = new HashMap<>();
        for (String line; (line = reader.readLine()) != null; ) {
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length != 2) {
                throw new IllegalStateException(RESOURCE + ": expected 'port service', got '" + line + "'");
            }
            int port = Integer.parseInt(fields[0]);
            if (services.put(port, fields[1]) != null) {
                throw new IllegalStateException(RESOURCE + ": port " + port + " is listed twice");
            }
            if (n == ranked.length) {
                ranked = Arrays.copyOf(ranked, n * 2);
            }
            ranked[n++] = port;
        }
        return new TopPorts(Arrays.copyOf(ranked, n), Map.copyOf(services));
    }
}
