package dev.eventide.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A compensating worker ran the tasks stuck behind a blocked worker: the event spans the
 * compensator's life, from the monitor starting it to its retirement once the blocked poll
 * returned.
 */
@Name("dev.eventide.Compensation")
@Label("Compensation")
@Category({"Eventide", "Scheduler"})
@Description("A temporary worker ran the tasks queued behind a blocked worker")
@StackTrace(false)
public final class CompensationEvent extends jdk.jfr.Event {
    @Label("Blocked Worker")
    public String blockedWorker;

    @Label("Compensating Worker")
    public String compensator;

    @Label("Tasks Rescued")
    @Description("Tasks taken from the blocked worker's LIFO slot and local queue")
    public int tasksRescued;

    @Label("Tasks Polled")
    @Description("Polls the compensating worker ran")
    public long tasksPolled;

    @Label("Parks")
    @Description("Times the compensating worker parked with nothing to run; it is woken by new work or by the end of the blocked poll, not on a timer")
    public int parks;

    @Label("Tasks Handed Back")
    @Description("Tasks still queued on the compensating worker when it retired, given back to the runtime")
    public int tasksHandedBack;
}
