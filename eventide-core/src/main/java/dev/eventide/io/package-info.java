/**
 * Async byte streams (DESIGN §7): the {@link dev.eventide.io.AsyncRead} / {@link dev.eventide.io.AsyncWrite}
 * contract shared by sockets, files and pipes; {@link dev.eventide.io.BufReader} (with
 * {@code readLine} and {@link dev.eventide.io.Lines}), {@link dev.eventide.io.BufWriter}; and
 * {@link dev.eventide.io.Io#copy} / {@link dev.eventide.io.Io#copyBidirectional}.
 */
package dev.eventide.io;
