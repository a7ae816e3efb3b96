package dev.eventide.offload;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.JoinHandle;
import dev.eventide.Poll;
import dev.eventide.TaskFailedException;
import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * One blocking call run on the current runtime's blocking pool, as a future (tokio's
 * {@code asyncify}).
 *
 * <p>The call is handed to the pool on the first poll, not at construction, so a future that is
 * built and dropped does nothing. A failure reaches the awaiting task as an
 * {@link UncheckedIOException} whose message names the operation and its subject and whose cause
 * is the JDK's {@link IOException} ({@code NoSuchFileException}, {@code AccessDeniedException},
 * ...); unchecked exceptions and errors are rethrown as they are.
 *
 * <p>Off a runtime (a plain thread awaiting, which blocks anyway) the call runs on the calling
 * thread itself, at the first poll or {@link #start()}.
 *
 * <p>Cancellation: a call the pool has not started never runs; a call already running runs to
 * the end (a blocking call cannot be preempted) and its result is dropped, or handed to the
 * {@linkplain #discardWith discard action} so that a resource it opened is closed.
 *
 * @param <T> the type of the call's result
 */
public final class Offload<T> implements Future<T> {
    private final String op;
    private final Object subject;
    private Callable<T> body;
    private JoinHandle<T> job;
    private T inlineValue; // off-runtime: the outcome of the call run by start()
    private RuntimeException inlineFailure;
    private Consumer<? super T> discard;
    private boolean mandatory;

    private Offload(String op, Object subject, Callable<T> body) {
        this.op = op;
        this.subject = subject;
        this.body = body;
    }

    /**
     * A future of {@code body} run on the blocking pool.
     *
     * @param op the operation, for error messages (for example {@code "Fs.readString"})
     * @param subject what it acts on (a path, a pid), for error messages
     */
    public static <T> Offload<T> of(String op, Object subject, Callable<T> body) {
        return new Offload<>(op, subject, Objects.requireNonNull(body, "body"));
    }

    /** Sets what to do with a result that arrives after this future was cancelled. */
    public Offload<T> discardWith(Consumer<? super T> action) {
        this.discard = action;
        return this;
    }

    /**
     * Makes the call run even if the runtime shuts down after it was handed to the pool but
     * before a pool thread took it (see {@code BlockingPool.spawnMandatory}): for a write whose
     * caller was told it was handed over. Cancelling this future still cancels a call not
     * started.
     */
    public Offload<T> mandatory() {
        this.mandatory = true;
        return this;
    }

    /**
     * Hands the call to the pool now if it has not been (a write that must start before
     * returning); off a runtime, runs it now, on the calling thread.
     */
    public Offload<T> start() {
        Callable<T> b = body;
        if (b == null) {
            return this;
        }
        body = null;
        Scheduler s = currentScheduler();
        if (s != null) {
            job = mandatory ? s.blockingPool.spawnMandatory(b) : s.blockingPool.spawn(b);
            return this;
        }
        try {
            inlineValue = b.call();
        } catch (Throwable t) {
            inlineFailure = failure(t);
        }
        return this;
    }

    /** The calling thread's runtime, or null off-runtime. */
    public static Scheduler currentScheduler() {
        ExecContext ec = ExecContext.current();
        return ec == null ? null : ec.scheduler;
    }

    @Override
    public Poll<T> poll(Context cx) {
        start();
        JoinHandle<T> j = job;
        if (j == null) { // ran inline
            if (inlineFailure != null) {
                throw inlineFailure;
            }
            return Poll.ready(inlineValue);
        }
        try {
            return j.poll(cx);
        } catch (TaskFailedException e) {
            throw failure(e.getCause());
        }
    }

    /** Runs {@code action} once the call has finished (at once if it has, or never started). */
    public void whenDone(Runnable action) {
        JoinHandle<T> j = job;
        if (j == null || j.isFinished()) {
            action.run();
        } else {
            j.toCompletableFuture().whenComplete((v, e) -> action.run());
        }
    }

    @Override
    public void cancel() {
        body = null;
        JoinHandle<T> j = job;
        if (j == null) {
            return;
        }
        j.abort();
        Consumer<? super T> d = discard;
        if (d != null && !j.isCancelled()) {
            j.toCompletableFuture().whenComplete((v, e) -> {
                if (e == null && v != null) {
                    d.accept(v);
                }
            });
        }
    }

    private RuntimeException failure(Throwable t) {
        if (t instanceof IOException io) {
            return new UncheckedIOException(describe(op, subject, io), io);
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new TaskFailedException(t);
    }

    /** A message naming the operation, its subject and what the JDK said. */
    public static String describe(String op, Object subject, IOException e) {
        String kind = e.getClass().getSimpleName();
        String detail = e.getMessage();
        return op + "(" + subject + ") failed: " + kind + (detail == null ? "" : ": " + detail);
    }
}
