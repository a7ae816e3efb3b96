package dev.eventide.bench;

import java.util.Arrays;

/**
 * The outcome of one workload on one system: the timed iterations' figures, or why it failed.
 *
 * @param workload the workload
 * @param sys the system
 * @param size the sizes used
 * @param warmup warm-up iterations run
 * @param values the timed iterations' figures, in the workload's unit (empty if it failed)
 * @param error why the workload failed (null if it did not)
 */
public record Result(Workload workload, Sys sys, Size size, int warmup, double[] values, String error) {
    /** A completed run. */
    static Result ok(Workload w, Sys sys, Size size, int warmup, double[] values) {
        return new Result(w, sys, size, warmup, values.clone(), null);
    }

    /** A failed run. */
    static Result failed(Workload w, Sys sys, Size size, String error) {
        return new Result(w, sys, size, 0, new double[0], error);
    }

    /** Whether the run failed (the starvation rule, a wrong result, an exception). */
    public boolean failed() {
        return error != null;
    }

    /** The median of the timed iterations (the mean of the two middle ones for an even count). */
    public double median() {
        double[] v = sorted();
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
