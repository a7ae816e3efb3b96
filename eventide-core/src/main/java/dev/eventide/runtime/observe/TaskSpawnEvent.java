package dev.eventide.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A task was spawned. Off by default (see the package documentation): one per spawn. */
@Name("dev.eventide.TaskSpawn")
@Label("Task Spawn")
@Category({"Eventide", "Tasks"})
@Description("A task was spawned onto an Eventide runtime")
@Enabled(false)
@StackTrace(false)
public final class TaskSpawnEvent extends jdk.jfr.Event {
    @Label("Task")
    @Description("The task's class and identity hash")
    public String task;

    @Label("Worker")
    @Description("Index of the spawning worker, or -1 if spawned from outside the runtime")
    public int worker;
}
