/**
 * Child processes with async standard streams and exit status (DESIGN §7).
 *
 * <p>{@link dev.eventide.process.Command} configures and spawns a
 * {@link dev.eventide.process.Child}; its piped streams are
 * {@link dev.eventide.io.AsyncWrite} ({@link dev.eventide.process.ChildStdin}) and
 * {@link dev.eventide.io.AsyncRead} ({@link dev.eventide.process.ChildOutput}, with
 * {@code readLine}); {@code waitFor()} is a future of the exit status, completed by the JDK's
 * process reaper. The JDK gives pipes no non-blocking mode, so each read or write of a pipe is a
 * blocking call on the runtime's blocking pool, one at a time per stream.
 */
package dev.eventide.process;
