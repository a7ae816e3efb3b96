package dev.eventide;

import java.util.concurrent.CompletableFuture;

/**
 * The handle of a spawned task: a future of the task's result.
 *
 * <p>Joining (awaiting, {@link #join()}, or the {@linkplain #toCompletableFuture() completable
 * future}) yields the value the task returned; throws {@link TaskFailedException} if the task
 * threw (the cause is what it threw); throws {@link CancelledException} if the task was
 * {@linkplain #abort() aborted} before it completed. Several tasks and threads may join the same
 * handle. Cancelling a join (losing a {@code select}) does not abort the task.
 *
 * @param <T> the type of the task's result
 */
public interface JoinHandle<T> extends Future<T> {

    /**
     * Requests cancellation. A task that has not started never runs. An async block sees a
     * {@link CancelledException} thrown by its pending (or next) {@code await()}, so its
     * {@code finally} blocks run; a poll-based future gets {@link Future#cancel()} and is not
     * polled again. A task that already completed is unaffected. A blocking task
     * ({@code spawnBlocking}) that has started runs to completion. Returns at once.
     *
     * <p>Since a task aborted before it started runs none of its code, not even its
     * {@code finally} blocks, a resource it captured to close itself stays open. Where that
     * matters (a channel sender whose close tells a receiver that the producers are done),
     * close it when the task completes, however it completes; in tokio the dropped future would
     * have closed it:
     * <pre>{@code
     * Mpsc.Sender<Result> mine = tx.clone();
     * JoinHandle<Void> worker = Eventide.spawn(() -> produce(mine));
     * worker.toCompletableFuture().whenComplete((v, e) -> mine.close());
     * }</pre>
     */
    void abort();

    /** Whether the task has completed: returned, thrown, or been cancelled. */
    boolean isFinished();

    /** Whether the task completed by cancellation. */
    boolean isCancelled();

    /**
     * Blocks the calling thread until the task completes and returns its value; for threads
     * that belong to no runtime (inside an async block, use {@link #await()}).
     *
     * @throws TaskFailedException if the task threw
     * @throws CancelledException if the task was aborted
     * @throws IllegalStateException if called on a runtime worker thread
     */
    T join();

    /** A {@link CompletableFuture} completed with the task's outcome (cancelled if aborted). */
    CompletableFuture<T> toCompletableFuture();
}
