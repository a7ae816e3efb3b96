/**
 * The runtime's internals (not exported from the module {@code dev.eventide}).
 *
 * <ul>
 *   <li>{@code runtime} — what every part of the runtime shares: the per-thread
 *       {@link dev.eventide.runtime.ExecContext}, the {@link dev.eventide.runtime.Scheduler}
 *       contract, {@link dev.eventide.runtime.Await} and the coop budget
 *       ({@link dev.eventide.runtime.Coop}).</li>
 *   <li>{@code runtime.task} — tasks: the state word, join handles, async blocks on
 *       continuations, the registry of live tasks.</li>
 *   <li>{@code runtime.scheduler} — the multi-thread work-stealing scheduler and the
 *       current-thread scheduler.</li>
 *   <li>{@code runtime.blocking} — the elastic pool behind {@code spawnBlocking}.</li>
 *   <li>{@code runtime.driver} — what a parked worker waits on: the I/O selector and timers.</li>
 * </ul>
 */
package dev.eventide.runtime;
