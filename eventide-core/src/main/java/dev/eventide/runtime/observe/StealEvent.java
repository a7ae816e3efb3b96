package dev.eventide.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A worker stole tasks from another worker's queue. Off by default: frequent under imbalance. */
@Name("dev.eventide.Steal")
@Label("Work Steal")
@Category({"Eventide", "Scheduler"})
@Description("A worker out of work took half of another worker's run queue")
@Enabled(false)
@StackTrace(false)
public final class StealEvent extends jdk.jfr.Event {
    @Label("Thief")
    public int thief;

    @Label("Victim")
    public int victim;

    @Label("Tasks Stolen")
    @Description("Tasks moved, counting the one the thief runs at once")
    public int tasks;
}
