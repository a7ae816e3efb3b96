package dev.eventide.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The blocked-worker monitor found a worker stuck in one task poll for longer than the
 * threshold: the moment of detection (the poll may go on). Committed by the monitor thread, so
 * its own stack trace would say nothing; the worker's stack is in {@link #stackTrace}.
 */
@Name("dev.eventide.BlockedWorker")
@Label("Blocked Worker")
@Category({"Eventide", "Scheduler"})
@Description("A task poll ran longer than the blocked-worker threshold: something blocked the event loop")
@StackTrace(false)
public final class BlockedWorkerEvent extends jdk.jfr.Event {
    @Label("Worker Thread")
    public String worker;

    @Label("Task")
    public String task;

    @Label("Blocked For")
    @Description("How long the poll had run when it was detected (at least)")
    @Timespan(Timespan.NANOSECONDS)
    public long blockedNanos;

    @Label("Worker Stack Trace")
    public String workerStack;
}
