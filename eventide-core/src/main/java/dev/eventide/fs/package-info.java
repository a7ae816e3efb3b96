/**
 * File-system operations, run on the blocking pool as tokio's are (DESIGN §7).
 *
 * <p>{@link dev.eventide.fs.Fs} has the one-call operations (read, write, append, list,
 * metadata, create and remove directories, rename, copy); {@link dev.eventide.fs.AsyncFile} is an
 * open file with async reads, writes and seeks. Operating systems offer no readiness for regular
 * files, so each operation is a blocking call handed to the runtime's elastic blocking pool; the
 * awaiting task is suspended meanwhile and its worker runs other tasks.
 *
 * <p>Errors reach the task that awaited the operation, and no other, as
 * {@link java.io.UncheckedIOException} caused by the JDK's {@link java.io.IOException}
 * ({@code NoSuchFileException}, ...). Every operation may be cancelled; each class documents
 * what a cancelled operation may already have done. Files opened by a runtime's tasks are closed
 * by closing that runtime.
 */
package dev.eventide.fs;
