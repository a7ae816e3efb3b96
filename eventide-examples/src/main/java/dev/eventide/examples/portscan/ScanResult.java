package dev.eventide.examples.portscan;

/**
 * The outcome of probing one port of one host.
 *
 * @param target the host
 * @param port the port
 * @param state what was found
 * @param attempts how many connects were made (more than one only after timeouts)
 * @param latencyNanos time from the first connect attempt to the answer (or the last timeout)
 * @param detail why the state is {@code filtered} or {@code error} when that is known (the
 *     system's message), else null
 */
public record ScanResult(Target target, int port, PortState state, int attempts, long latencyNanos, String detail) {
}
