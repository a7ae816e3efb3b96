package dev.eventide.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A task poll that the blocked-worker monitor saw run longer than the threshold has ended:
 * committed once per incident, with how long the monitor saw it running (a lower bound, within
 * one monitor period).
 */
@Name("dev.eventide.LongPoll")
@Label("Long Poll")
@Category({"Eventide", "Scheduler"})
@Description("A task poll that ran longer than the blocked-worker threshold has ended")
@StackTrace(false)
public final class LongPollEvent extends jdk.jfr.Event {
    @Label("Worker Thread")
    public String worker;

    @Label("Task")
    public String task;

    @Label("Duration")
    @Description("How long the poll ran, as seen by the monitor (at least)")
    @Timespan(Timespan.NANOSECONDS)
    public long pollNanos;
}
