package dev.eventide.process;

import dev.eventide.CancelledException;
import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import dev.eventide.offload.BlockingReader;
import dev.eventide.offload.BlockingWriter;
import dev.eventide.offload.Offload;
import dev.eventide.runtime.Coop;
import dev.eventide.runtime.Scheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running (or finished) child process started by {@link Command#spawn()} (tokio's
 * {@code tokio::process::Child}): its piped standard streams, its exit status as a future, and
 * the means to kill it.
 *
 * <h2>Exit status</h2>
 * {@link #waitFor()} completes when the child exits, through {@link Process#onExit()}: the JDK's
 * reaper thread completes it, and the future wakes the waiting task; no Eventide thread waits for
 * the child. (The JDK's reaper itself waits in {@code waitpid}, one small thread per live child:
 * that cost is the JDK's, shared with {@code Process.waitFor()}.) A child killed by a signal has
 * status {@code 128 + signal number}, as the JDK reports it.
 *
 * <h2>Streams</h2>
 * Only streams configured {@link Stdio#PIPED} exist here; asking for another throws
 * {@link IllegalStateException}. Their reads and writes run on the blocking pool (see
 * {@link ChildOutput}, {@link ChildStdin}). A child that writes more than a pipe holds
 * (64 KiB on Linux) blocks until someone reads: read its output while waiting for its exit.
 *
 * <h2>Closing</h2>
 * {@link #close()} closes the parent's ends of the pipes and, if the command asked for
 * {@linkplain Command#killOnClose(boolean) kill on close}, kills a child still running. A child
 * spawned by a task is registered with its runtime until it exits: closing the runtime closes it.
 */
public final class Child implements AutoCloseable {
    /** The buffer size of each pipe stream: the most bytes one blocking read or write moves. */
    public static final int PIPE_BUFFER = 8 * 1024;

    private final Process process;
    private final CompletableFuture<Process> exit;
    private final ChildStdin stdin;
    private final ChildOutput stdout;
    private final ChildOutput stderr;
    private final boolean killOnClose;
    private final Scheduler owner;
    private volatile boolean closed;

    private Child(Process process, boolean in, boolean out, boolean err, boolean killOnClose, Scheduler owner) {
        this.process = process;
        this.exit = process.onExit();
        String pid = " of pid " + process.pid();
        this.stdin = in ? new ChildStdin(new BlockingWriter(process.getOutputStream(), "stdin" + pid, PIPE_BUFFER))
                : null;
        this.stdout = out ? new ChildOutput(new BlockingReader(process.getInputStream(), "stdout" + pid, PIPE_BUFFER))
                : null;
        this.stderr = err ? new ChildOutput(new BlockingReader(process.getErrorStream(), "stderr" + pid, PIPE_BUFFER))
                : null;
        this.killOnClose = killOnClose;
        this.owner = owner;
    }

    static Child adopt(Process p, boolean in, boolean out, boolean err, boolean killOnClose) {
        Scheduler owner = Offload.currentScheduler();
        Child c = new Child(p, in, out, err, killOnClose, owner);
        if (owner != null) {
            if (!owner.registerResource(c)) {
                c.close();
                throw new CancelledException("the runtime was closed while pid " + p.pid() + " was being spawned");
            }
            // An exited child's pipes are drained and closed by the JDK: nothing left to close.
            c.exit.whenComplete((x, e) -> owner.deregisterResource(c));
        }
        return c;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** The child's standard input. @throws IllegalStateException if it was not {@link Stdio#PIPED} */
    public ChildStdin stdin() {
        return piped(stdin, "stdin");
    }

    /** The child's standard output. @throws IllegalStateException if it was not {@link Stdio#PIPED} */
    public ChildOutput stdout() {
        return piped(stdout, "stdout");
    }

    /** The child's standard error. @throws IllegalStateException if it was not {@link Stdio#PIPED} */
    public ChildOutput stderr() {
        return piped(stderr, "stderr");
    }

    private static <S> S piped(S stream, String name) {
        if (stream == null) {
            throw new IllegalStateException("the child's " + name + " is not piped: configure the command with "
                    + name + "(Stdio.PIPED)");
        }
        return stream;
    }

    /**
     * A future of the exit status. Cancelling it loses nothing (the status stays available);
     * it only stops the wake-up. Awaiting it does not close stdin: a child that reads its input
     * to the end needs {@code stdin().shutdown()} first.
     */
    public Future<Integer> waitFor() {
        return new ExitFuture();
    }

    /** The exit status if the child has exited, else null; never waits. */
    public Integer tryWait() {
        return exit.isDone() ? process.exitValue() : null;
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return !exit.isDone() && process.isAlive();
    }

    /** Sends {@code SIGKILL}; returns at once (await {@link #waitFor()} for the exit). No-op if it has exited. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Sends {@code SIGTERM}, which the child may handle; returns at once. No-op if it has exited. */
    public void terminate() {
        process.destroy();
    }

    /** The JDK's handle of the child, for what this class does not offer. */
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    /**
     * Closes the parent's ends of the piped streams (stdin after the write in flight) and, with
     * {@link Command#killOnClose(boolean)}, kills the child if it still runs. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner != null) {
            owner.deregisterResource(this);
        }
        if (killOnClose && process.isAlive()) {
            process.destroyForcibly();
        }
        if (stdin != null) {
            stdin.close();
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
    }

    @Override
    public String toString() {
        return "Child[pid " + process.pid() + (exit.isDone() ? ", exited " + process.exitValue() : ", running") + "]";
    }

    /** Waits for {@link #exit}; the reaper's completion wakes the newest waker. */
    private final class ExitFuture implements Future<Integer> {
        private final AtomicReference<Waker> waker = new AtomicReference<>();
        private boolean hooked;

        @Override
        public Poll<Integer> poll(Context cx) {
            if (exit.isDone()) {
                return Coop.proceed(cx) ? Poll.ready(process.exitValue()) : Poll.pending();
            }
            waker.set(cx.waker());
            if (!hooked) {
                hooked = true;
                exit.whenComplete((p, e) -> {
                    Waker w = waker.get();
                    if (w != null) {
                        w.wake();
                    }
                });
            }
            return exit.isDone() && Coop.proceed(cx) ? Poll.ready(process.exitValue()) : Poll.pending();
        }

        @Override
        public void cancel() {
            waker.set(null);
        }
    }
}
