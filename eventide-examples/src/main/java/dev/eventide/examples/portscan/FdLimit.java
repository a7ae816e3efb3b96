package dev.eventide.examples.portscan;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connects the process's file-descriptor limit allows at once. Every connect in flight
 * holds a socket, and a closed socket's descriptor is released only when the reactor's next
 * select deregisters it, so the scanner leaves a margin for those, for the JVM's own files and
 * for the selector. Read through {@code com.sun.management.UnixOperatingSystemMXBean}
 * (module {@code jdk.management}), no native code; on a system without it there is no clamp.
 */
public final class FdLimit {
    /** Descriptors kept free for the JVM, the selector, and sockets awaiting deregistration. */
    static final long MARGIN = 256;

    private FdLimit() {
    }

    /**
     * The largest concurrency the limit allows: the maximum number of descriptors less those open
     * and a margin, then halved so that sockets closed but not yet released fit too; at least 1.
     * {@link Integer#MAX_VALUE} if the limit cannot be read.
     */
    public static int maxConcurrency() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return fromLimits(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
        }
        return Integer.MAX_VALUE;
    }

    /** {@link #maxConcurrency()} for the given limit and count of open descriptors. */
    static int fromLimits(long max, long open) {
        if (max <= 0) {
            return Integer.MAX_VALUE;
        }
        long free = (max - open - MARGIN) / 2;
        return Math.clamp(free, 1, Integer.MAX_VALUE);
    }
}
