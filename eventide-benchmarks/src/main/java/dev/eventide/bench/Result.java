package dev.eventide.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one workload on one system: the timed iterations' figures, or why it failed.
 *
 * @param workload the workload
 * @param sys the system
 * @param size the sizes used
 * @param warmup warm-up iterations run
 * @param values the timed iterations' figures, in the workload's unit (empty if it failed)
 * @param error why the workload failed (null if it did not)
 * @param extras the timed iterations' other figures by name ({@link Trial#extras()}), in report
 *     order, one value per timed iteration; empty for single-figure workloads
 * @param skipReason why the pair was not run at all ({@link SkippedException}: a transport or a
 *     tool missing here), or null if it was run; a skipped pair is not a failed one
 */
public record Result(Workload workload, Sys sys, Size size, int warmup, double[] values, String error,
        Map<String, double[]> extras, String skipReason) {
    /** A completed run. */
    static Result ok(Workload w, Sys sys, Size size, int warmup, double[] values, Map<String, double[]> extras) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        extras.forEach((k, v) -> copy.put(k, v.clone()));
        return new Result(w, sys, size, warmup, values.clone(), null, copy, null);
    }

    /** A pair that could not run here, for a reason that is no fault of the system (see {@link SkippedException}). */
    static Result skipped(Workload w, Sys sys, Size size, String reason) {
        return new Result(w, sys, size, 0, new double[0], null, Map.of(), reason);
    }

    /** Whether the pair was skipped ({@link #skipReason()} says why). */
    public boolean skipped() {
        return skipReason != null;
    }

    /** A failed run. */
    static Result failed(Workload w, Sys sys, Size size, String error) {
        return new Result(w, sys, size, 0, new double[0], error, Map.of(), null);
    }

    /** The median of an extra figure over the timed iterations, or NaN if there is no such figure. */
    public double extraMedian(String key) {
        double[] v = extras.get(key);
        return v == null ? Double.NaN : median(v);
    }

    /** The smallest value of an extra figure, or NaN. */
    public double extraMin(String key) {
        double[] v = extras.get(key);
        return v == null ? Double.NaN : Arrays.stream(v).min().orElse(Double.NaN);
    }

    /** The largest value of an extra figure, or NaN. */
    public double extraMax(String key) {
        double[] v = extras.get(key);
        return v == null ? Double.NaN : Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** Whether the run failed (the starvation rule, a wrong result, an exception). */
    public boolean failed() {
        return error != null;
    }

    /** The median of the timed iterations (the mean of the two middle ones for an even count). */
    public double median() {
        return median(sorted());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The smallest figure. */
    public double min() {
        return sorted()[0];
    }

    /** The largest figure. */
    public double max() {
        double[] v = sorted();
        return v[v.length - 1];
    }

    /** The median per operation (e.g. ns per task), for time units; the median itself otherwise. */
    public double medianPerOp() {
        return workload.unit() == Unit.NS ? median() / workload.opsPerIteration(size) : median();
    }

    private double[] sorted() {
        if (values.length == 0) {
            throw new IllegalStateException(workload.id() + " on " + sys.key + " has no figures: " + error);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v;
    }
}
