package dev.eventide.examples.portscan;

import dev.eventide.Eventide;
import dev.eventide.JoinHandle;
import dev.eventide.TaskFailedException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns target specifications into the hosts to scan. Host names are resolved on the runtime's
 * blocking pool, all at once (the resolver blocks; the workers must not); a name that cannot be
 * resolved is reported through a callback and skipped, and the rest are scanned. Ranges expand
 * to their addresses. A host that appears twice is scanned once.
 */
public final class TargetResolver {
    private TargetResolver() {
    }

    /**
     * Checks that the targets stand for at most {@code maxHosts} hosts, before anything is
     * resolved or allocated.
     *
     * @throws IllegalArgumentException naming the offending target or the total if there are
     *     more hosts than {@code maxHosts}
     */
    public static void checkSize(List<TargetSpec> specs, long maxHosts) {
        BigInteger cap = BigInteger.valueOf(maxHosts);
        BigInteger total = BigInteger.ZERO;
        for (TargetSpec s : specs) {
            if (s.hostCount().compareTo(cap) > 0) {
                throw new IllegalArgumentException("range " + s.text() + " has " + s.hostCount()
                        + " hosts, more than --max-hosts " + maxHosts + " (raise it to scan this range)");
            }
            total = total.add(s.hostCount());
        }
        if (total.compareTo(cap) > 0) {
            throw new IllegalArgumentException("the targets add up to " + total + " hosts, more than --max-hosts "
                    + maxHosts + " (raise it to scan them all)");
        }
    }

    /**
     * Resolves and expands {@code specs}; must run inside an async block. Each name is resolved
     * to its first address (the system's preferred one).
     *
     * @param unresolved called with a message for each name that cannot be resolved
     * @return the hosts, in the order given, each once
     */
    public static List<Target> resolve(List<TargetSpec> specs, Consumer<String> unresolved) {
        List<JoinHandle<InetAddress>> lookups = new ArrayList<>();
        for (TargetSpec s : specs) {
            lookups.add(s instanceof TargetSpec.Name n
                    ? Eventide.spawnBlocking(() -> InetAddress.getByName(n.text()))
                    : null);
        }
        Set<InetAddress> seen = new LinkedHashSet<>();
        List<Target> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            switch (specs.get(i)) {
                case TargetSpec.Name n -> {
                    try {
                        InetAddress a = lookups.get(i).await();
                        if (seen.add(a)) {
                            out.add(new Target(n.text(), a));
                        }
                    } catch (TaskFailedException e) {
                        unresolved.accept("cannot resolve host '" + n.text() + "'"
                                + (e.getCause() instanceof UnknownHostException ? "" : ": " + e.getCause()));
                    }
                }
                case TargetSpec.Address a -> {
                    if (seen.add(a.address())) {
                        out.add(new Target(null, a.address()));
                    }
                }
                case TargetSpec.Range r -> {
                    for (InetAddress a : r.addresses()) {
                        if (seen.add(a)) {
                            out.add(new Target(null, a));
                        }
                    }
                }
            }
        }
        return out;
    }
}
