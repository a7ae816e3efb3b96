package dev.eventide.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W11's client: {@code wrk -t1 -c64 -dNs --latency http://127.0.0.1:PORT/} from the
 * {@code PATH} (1 thread, 64 connections, no pipelining; 10 s, quick mode 1 s). Not installed:
 * W11 is skipped.
 *
 * <p>From its output: {@code Requests/sec} (the value) and the latency distribution's p50, p75,
 * p90 and p99 converted to µs; socket errors (connect, read, write, timeout) or non-2xx/3xx
 * responses make the run invalid.
 */
final class Wrk extends LoadClient {
    /** The figures reported, in order; {@code rps} is W11's value. */
    static final List<String> FIGURES = List.of("rps", "p50_us", "p75_us", "p90_us", "p99_us");
    private static final Pattern RPS = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s|m)\\s*$");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private String wrk;

    @Override
    synchronized void prepare() {
        if (wrk != null) {
            return;
        }
        var p = onPath("wrk");
        if (p == null) {
            throw new SkippedException("wrk is not on the PATH (install it, e.g. apt-get install wrk)");
        }
        wrk = p.toString();
    }

    @Override
    List<String> command(int port, int seconds, Size size) {
        if (wrk == null) {
            throw new IllegalStateException("wrk is not found yet: call prepare() first");
        }
        return List.of(wrk, "-t1", "-c64", "-d" + seconds + "s", "--latency", "http://127.0.0.1:" + port + "/");
    }

    /** The client's command as the report shows it. */
    static String describe(Size size) {
        return "wrk -t1 -c64 -d" + NetWorkload.runSeconds(size) + "s --latency";
    }

    @Override
    Map<String, Double> parse(String output) {
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            throw new InvalidRunException("wrk reported socket errors (" + errors.group() + ")");
        }
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            throw new InvalidRunException("wrk reported " + non2xx.group(1) + " non-2xx or 3xx responses");
        }
        Matcher rps = RPS.matcher(output);
        if (!rps.find()) {
            throw new InvalidRunException("wrk printed no Requests/sec: " + output.strip());
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("rps", Double.parseDouble(rps.group(1)));
        Matcher m = PERCENTILE.matcher(output);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            double us = switch (m.group(3)) {
                case "us" -> v;
                case "ms" -> v * 1e3;
                case "s" -> v * 1e6;
                default -> v * 60e6;
            };
            figures.put("p" + m.group(1) + "_us", us);
        }
        for (String key : FIGURES) {
            if (!figures.containsKey(key)) {
                throw new InvalidRunException(String.format(Locale.ROOT, "wrk's output has no %s: %s", key, output.strip()));
            }
        }
        if (figures.get("rps") <= 0) {
            throw new InvalidRunException("wrk completed no request: " + output.strip());
        }
        return figures;
    }
}
