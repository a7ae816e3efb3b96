package dev.eventide.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * CPU time that the hypervisor gave to other guests while this VM's threads were ready to run
 * ("steal", Linux's {@code /proc/stat}): how much of a run's noise came from outside the machine.
 * On a shared VM, steal of a few percent makes figures drift between runs; tens of percent make
 * every figure of that period unreliable, whichever system it belongs to.
 */
final class CpuSteal {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The aggregate counters at one instant: total CPU time and stolen time, in ticks. */
    record Reading(long total, long steal) {
    }

    private CpuSteal() {
    }

    /** The counters now, or null where {@code /proc/stat} cannot be read (not Linux). */
    static Reading read() {
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            return lines.isEmpty() ? null : parse(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses the aggregate line of {@code /proc/stat}: {@code cpu user nice system idle iowait irq
     * softirq steal [guest guest_nice]} (guest time is already counted in user and nice).
     */
    static Reading parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new Reading(total, Long.parseLong(f[8]));
    }

    /** Stolen time as a percentage of all CPU time between two readings; empty if unknown. */
    static OptionalDouble percent(Reading from, Reading to) {
        if (from == null || to == null || to.total() <= from.total()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(100.0 * (to.steal() - from.steal()) / (to.total() - from.total()));
    }
}
