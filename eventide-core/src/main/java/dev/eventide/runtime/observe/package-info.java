/**
 * JFR events of the runtime (internal): what the scheduler did, for JDK Mission Control.
 *
 * <p>Every event is created and checked with {@code shouldCommit()} before any other work. On
 * the hot paths (spawn, steal) even that is behind {@code FlightRecorder.isInitialized()}, one
 * load of a static field, so that a process that never starts JFR pays nothing else, whether or
 * not the JIT manages to remove the event allocation. The per-task and per-steal events are
 * disabled by default even in a recording, because at millions of spawns a second they would
 * dominate it; turn them on with {@code Recording.enable("dev.eventide.TaskSpawn")} or in a
 * {@code .jfc} settings file.
 */
package dev.eventide.runtime.observe;
