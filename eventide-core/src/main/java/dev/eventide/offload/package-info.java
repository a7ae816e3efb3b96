/**
 * Internal: running blocking I/O on the runtime's blocking pool as futures, shared by
 * {@code dev.eventide.fs} and {@code dev.eventide.process} (tokio's {@code asyncify} and
 * {@code io::Blocking}). Not exported.
 *
 * <p>{@link dev.eventide.offload.Offload} turns one blocking call into a future and maps its
 * failure to the {@link java.io.UncheckedIOException} the project's I/O contract promises;
 * {@link dev.eventide.offload.BlockingReader} and {@link dev.eventide.offload.BlockingWriter}
 * turn a blocking {@code InputStream} / {@code OutputStream} into an {@code AsyncRead} /
 * {@code AsyncWrite} with one operation in flight and one reusable buffer.
 */
package dev.eventide.offload;
