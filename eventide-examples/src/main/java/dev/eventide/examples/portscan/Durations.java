package dev.eventide.examples.portscan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads and writes the durations of the command line: {@code 500ms}, {@code 2s}, {@code 1.5s},
 * {@code 1m}, or a bare number of milliseconds ({@code 750}).
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text if it is not a duration, or is zero or
     *     negative
     */
    public static Duration parsePositive(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long nanosPerUnit;
        String number;
        if (t.endsWith("ms")) {
            nanosPerUnit = 1_000_000L;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            nanosPerUnit = 1_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            nanosPerUnit = 60_000_000_000L;
            number = t.substring(0, t.length() - 1);
        } else {
            nanosPerUnit = 1_000_000L;
            number = t;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(number.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 2s, 1.5s)");
        }
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("'" + text + "' must be positive");
        }
        BigDecimal nanos = value.multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long");
        }
        if (nanos.compareTo(BigDecimal.valueOf(1_000_000L)) < 0) {
            throw new IllegalArgumentException("'" + text + "' is shorter than the timer resolution of 1ms");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** A short form: {@code 250ms}, {@code 1s}, {@code 1.5s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
