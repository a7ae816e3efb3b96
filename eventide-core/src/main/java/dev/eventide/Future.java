package dev.eventide;

import dev.eventide.runtime.Await;

/**
 * An asynchronous computation: a state machine that is {@linkplain #poll(Context) polled} until
 * it is ready.
 *
 * <h2>The poll contract</h2>
 * {@code poll} must not block. It returns {@link Poll#ready(Object)} once the value is
 * available, or {@link Poll#pending()} after arranging for {@code cx.waker()} to be woken when a
 * later poll may make progress. A future may be polled again after a spurious wake-up, and with a
 * different waker than before (after its task moved, or inside a {@code select}): it must then
 * wake the newest one. A future is not polled again after it returned ready. A future that throws
 * from {@code poll} fails its task.
 *
 * <h2>Cancellation</h2>
 * A future abandoned before completion (the loser of a {@code select}, the inner future of a
 * timed-out {@code timeout}, the future of an aborted task) receives one {@link #cancel()} call
 * and is never polled again. This is Java's stand-in for Rust's {@code Drop}: a future that
 * registered a waker, holds a permit or reserved a slot must release it there. Every primitive
 * in Eventide documents what, if anything, cancelling it loses.
 *
 * <h2>Awaiting</h2>
 * {@link #await()} is the postfix {@code .await} of Rust:
 * <table class="striped">
 *   <caption>What await() does, by caller</caption>
 *   <tr><th>called</th><th>behaviour</th></tr>
 *   <tr><td>inside an async block running on a runtime</td>
 *       <td>polls once; if pending, suspends the block (its continuation) until woken</td></tr>
 *   <tr><td>on a thread that belongs to no runtime</td>
 *       <td>blocks that thread until the future completes</td></tr>
 *   <tr><td>on a runtime thread outside any async block (inside a {@code poll})</td>
 *       <td>throws {@link IllegalStateException}: blocking there would stall the event loop</td></tr>
 * </table>
 * Holding a lock across {@code await()} is the caller's deadlock to make: a suspended block keeps
 * the monitors it holds, and other tasks that want them would block their workers.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface Future<T> {

    /** Attempts to make progress; see the class documentation for the contract. */
    Poll<T> poll(Context cx);

    /**
     * Called once when the future is abandoned before completion; releases wakers, permits and
     * reservations. The default does nothing, which is right for futures that register nothing.
     */
    default void cancel() {
    }

    /**
     * Waits for this future's value: suspends the current async block, or blocks a thread that
     * belongs to no runtime (see the class documentation).
     *
     * @throws CancelledException if the awaiting task was aborted
     * @throws IllegalStateException if called inside a {@code poll} on a runtime thread
     */
    default T await() {
        return Await.await(this);
    }

    /** A future that is ready at once with {@code value}. */
    static <T> Future<T> ready(T value) {
        Poll<T> ready = Poll.ready(value);
        return cx -> ready;
    }
}
