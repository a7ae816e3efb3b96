/**
 * The I/O reactor's internals (DESIGN §7), not exported.
 *
 * <p>The runtime's {@code Driver} owns one {@link java.nio.channels.Selector}; every socket of
 * the runtime registers with it, and its selection key's attachment is a
 * {@link dev.eventide.runtime.io.Registration} (tokio's {@code ScheduledIo}): readiness bits, a
 * tick, and one waker per direction. The protocol (try the system call first; on would-block
 * clear readiness if no event came since, store the waker, arm interest, re-check) and the lazy
 * interest management that keeps a busy connection free of {@code epoll_ctl} calls are written
 * down once, in {@code Registration}'s overview. {@link dev.eventide.runtime.io.IoFuture} is the
 * future of one operation, whose {@code cancel()} takes its waker back;
 * {@link dev.eventide.runtime.io.Reactor#closeAll} is what the runtime's shutdown calls to close
 * every socket still open.
 *
 * <p>The reactor takes part in the scheduler's parking protocol only through the driver: the
 * worker that parks holding the driver waits in {@code select} and dispatches events (which
 * wake tasks); an operation that arms interest from another thread wakes the selector, because a
 * JDK selector applies interest changes at its next {@code select}.
 */
package dev.eventide.runtime.io;
