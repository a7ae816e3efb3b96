/**
 * Operating-system signals (SIGINT, SIGTERM, ...) as futures (DESIGN §7).
 *
 * <p>{@link dev.eventide.signal.Signal#ctrlC()} and {@link dev.eventide.signal.Signal#terminate()}
 * complete at the next signal; {@link dev.eventide.signal.Signal#of(String)} opens a
 * {@link dev.eventide.signal.SignalStream} that receives every one. While any listener exists,
 * Eventide handles the signal instead of the JVM (whose handlers for SIGINT and SIGTERM exit);
 * see {@link dev.eventide.signal.Signal} for the rules.
 */
package dev.eventide.signal;
