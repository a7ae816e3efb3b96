package dev.eventide.runtime.scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the time a thread wanted a CPU, for the blocked-or-computing decision of
 * compensation: a thread that computes wants its CPU all the time, one that sleeps or waits for
 * a lock or I/O does not.
 *
 * <p>The JVM's thread CPU clock alone misjudges a computing thread on a busy or virtual machine:
 * time spent runnable but waiting for a CPU (other processes on a full machine), and time the
 * hypervisor took the virtual CPU away (steal), count as neither. A spinning worker on a VM with
 * 50% steal shows half a CPU and looked blocked. So on Linux this reads the thread's
 * {@code /proc/self/task/<tid>/schedstat}, which gives its time on a CPU and its time waiting in
 * a run queue, and scales the CPU time up by the machine's recent steal (over at least a second
 * of one CPU; from {@code /proc/stat}: the kernel does not charge stolen time to the thread that
 * was running, so a thread that ran for {@code c} while a share {@code s} of CPU time was stolen
 * wanted a CPU for about {@code c / (1 - s)}). Elsewhere, or if the files cannot be read, it
 * falls back to the JVM's thread CPU clock.
 *
 * <p>Used by the monitor's thread only, a few dozen reads a second: file reads are cheap enough.
 */
final class CpuDemand {
    /**
     * One thread's clocks: nanoseconds on a CPU ({@code onCpu} -1: unknown) and waiting for one;
     * {@code kernel}: read from schedstat (else the JVM's clock, which has no queued time, so two
     * readings compare only if they came from the same place).
     */
    record Reading(long onCpu, long queued, boolean kernel) {
        static final Reading UNKNOWN = new Reading(-1, 0, false);
    }

    /** The largest steal share believed: beyond it the correction would only amplify noise. */
    private static final double MAX_STEAL = 0.9;
    /**
     * The least CPU time, in {@code /proc/stat} ticks (1/100 s of one CPU), that a steal share is
     * measured over. The counters are that coarse: over one sampling interval of the monitor
     * (tens of milliseconds) a single tick of steal read as half the machine stolen, and made a
     * thread that got a third of a CPU look as if it wanted two.
     */
    private static final long MIN_TICKS = 100;

    private final ThreadMXBean mx;
    private long stealTicks = -1;
    private long totalTicks = -1;
    private double stealShare;

    CpuDemand() {
        ThreadMXBean m = ManagementFactory.getThreadMXBean();
        this.mx = m.isThreadCpuTimeSupported() && m.isThreadCpuTimeEnabled() ? m : null;
    }

    /** The calling thread's kernel thread id on Linux, or -1; for {@link #read}. */
    static int currentNativeTid() {
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>"
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The clocks of {@code thread}, whose kernel id is {@code tid} (-1: unknown). */
    Reading read(Thread thread, int tid) {
        if (tid >= 0) {
            long[] f = fields(Path.of("/proc/self/task/" + tid + "/schedstat"), 2, 0);
            if (f != null) {
                return new Reading(f[0], f[1], true);
            }
        }
        return mx == null || thread == null ? Reading.UNKNOWN : new Reading(mx.getThreadCpuTime(thread.threadId()), 0, false);
    }

    /**
     * The share of the machine's CPU time stolen by the hypervisor lately: over the last span of
     * at least {@value #MIN_TICKS} ticks of CPU time that ended at one of these calls (0 until
     * then, off Linux, or on a machine without steal).
     */
    double stealShare() {
        // "cpu  user nice system idle iowait irq softirq steal ..." (in ticks)
        long[] f = fields(Path.of("/proc/stat"), 8, 1);
        if (f == null) {
            return stealShare;
        }
        long total = 0;
        for (long t : f) {
            total += t;
        }
        return stealShare(f[7], total);
    }

    /** {@link #stealShare()} given the machine's steal and total CPU time now, in ticks. */
    double stealShare(long steal, long total) {
        if (stealTicks < 0 || total - totalTicks >= MIN_TICKS) {
            if (stealTicks >= 0) {
                double share = (double) (steal - stealTicks) / (total - totalTicks);
                stealShare = Math.min(MAX_STEAL, Math.max(0, share));
            }
            stealTicks = steal;
            totalTicks = total;
        }
        return stealShare;
    }

    /**
     * CPU time wanted over an interval: the time on a CPU, scaled up by the steal share, plus the
     * time waiting for one.
     */
    static long demand(long onCpuNanos, long queuedNanos, double stealShare) {
        return (long) (onCpuNanos / (1 - Math.min(MAX_STEAL, stealShare))) + queuedNanos;
    }

    /** The first {@code count} numbers of a file's first line, after {@code skip} words; null if unreadable. */
    private static long[] fields(Path file, int count, int skip) {
        byte[] head = new byte[256];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String line = new String(head, 0, n, StandardCharsets.US_ASCII);
        int eol = line.indexOf('\n');
        String[] words = (eol < 0 ? line : line.substring(0, eol)).trim().split("\\s+");
        if (words.length < skip + count) {
            return null;
        }
        long[] out = new long[count];
        try {
            for (int i = 0; i < count; i++) {
                out[i] = Long.parseLong(words[skip + i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }
}
