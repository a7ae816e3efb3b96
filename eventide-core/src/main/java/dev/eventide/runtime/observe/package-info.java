/**
 * JFR events of the runtime (internal): what the scheduler did, for JDK Mission Control.
 *
 * <p>Every event is created and checked with {@code isEnabled()} or {@code shouldCommit()}
 * before any other work, so with no recording running they cost a well-predicted branch (the
 * JIT removes the allocation). The per-task and per-steal events are disabled by default even in
 * a recording, because at millions of spawns a second they would dominate the recording; turn
 * them on in a {@code .jfc} settings file ({@code dev.eventide.TaskSpawn#enabled=true}).
 */
package dev.eventide.runtime.observe;
