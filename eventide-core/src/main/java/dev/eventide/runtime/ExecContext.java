package dev.eventide.runtime;

import dev.eventide.runtime.task.BlockTask;
import dev.eventide.runtime.task.Task;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a thread that drives tasks knows about what it is doing: the scheduler it belongs to and
 * the task it is polling.
 *
 * <h2>Finding the current thread safely</h2>
 * An async block is a continuation that may suspend on one worker and resume on another. The
 * JIT compiles {@link Thread#currentThread()} as a read it may reuse for the whole compiled
 * method (only JDK-internal methods annotated {@code @ChangesCurrentThread} are exempt), so in
 * code that spans an {@code await}, such as a user's block with our methods inlined into it, it
 * can return the worker the block <em>was</em> on (measured: thousands of stale reads in 200,000
 * migrations). Pushing onto that worker's single-producer run queue would corrupt it. Every
 * entry point that code on a block's stack can reach therefore finds its thread through
 * {@link #currentThread()}, a call through a non-constant {@link MethodHandle} that the JIT
 * cannot inline, so the read happens in a frame that never spans a suspension. The worker loop
 * itself, which never runs on a continuation, reads {@code Thread.currentThread()} directly.
 *
 * <p>The JDK's own code is exposed the same way when it runs in such a frame: a channel's
 * {@code read} takes a {@code ReentrantLock}, which records {@code Thread.currentThread()} as
 * its owner, and the unlock checks it. Inlined into a block's compiled frame, lock and unlock
 * may see different threads: the unlock throws and the lock stays held, and the next operation
 * on the channel (its {@code close}) waits for it forever (seen: TcpEchoTest hung in
 * {@code SocketChannelImpl.implCloseNonBlockingMode}). So the runtime never calls into such code
 * from a frame that can span an {@code await}: an {@code await} polls its future through
 * {@link #pollInOwnFrame}, and every synchronous call into a JDK channel that a block can make
 * directly (open, bind, {@code configureBlocking}, connect, options, shutdown, close) goes
 * through {@link #ioInOwnFrame}: calls through non-constant handles as well, whose targets run
 * in compiled frames of their own that never suspend.
 *
 * <p>Workers of the multi-thread runtime carry their context in the thread object
 * ({@link RuntimeThread}); a thread inside the current-thread runtime's {@code blockOn} is an
 * ordinary thread, whose context is registered for the duration of the call.
 */
public final class ExecContext {
    /** Deliberately not final: a constant handle would be inlined, and the read cached again. */
    private static MethodHandle currentThreadHandle;
    /** {@code Future.poll(Context)}; not final, for the same reason. */
    private static MethodHandle pollHandle;
    /** {@code IoAction.run()}; not final, for the same reason. */
    private static MethodHandle ioHandle;
    private static final Map<Thread, ExecContext> FOREIGN = new ConcurrentHashMap<>();
    /** Bound foreign threads; lets the common case (none) skip the map. Counted, not size()d: races. */
    private static final java.util.concurrent.atomic.AtomicInteger FOREIGN_COUNT =
            new java.util.concurrent.atomic.AtomicInteger();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            currentThreadHandle = lookup.findStatic(Thread.class, "currentThread",
                    MethodType.methodType(Thread.class));
            pollHandle = lookup.findVirtual(dev.eventide.Future.class, "poll",
                    MethodType.methodType(dev.eventide.Poll.class, dev.eventide.Context.class));
            ioHandle = lookup.findVirtual(IoAction.class, "run", MethodType.methodType(Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The runtime this thread drives. */
    public final Scheduler scheduler;
    /** The index of this worker in its runtime, or -1 for the current-thread runtime. */
    public final int workerIndex;
    /** The task being polled on this thread, or null between polls. */
    public Task<?> current;
    /**
     * The async block whose coroutine is mounted on this thread (running on its stack), or null:
     * where an {@code await} may suspend. Null while a block's task polls the block's awaited
     * future on the worker's own stack.
     */
    public BlockTask<?> mountedBlock;
    /**
     * The registry shard where this thread registers the tasks whose first poll it runs (see
     * {@code TaskRegistry}): a worker's own shard, or a shared one. Written by this thread, or
     * before it starts, or when it gives its worker's core away ({@code blockInPlace}), before
     * the core's next owner starts.
     */
    public int registryShard;

    public ExecContext(Scheduler scheduler, int workerIndex, int registryShard) {
        this.scheduler = scheduler;
        this.workerIndex = workerIndex;
        this.registryShard = registryShard;
    }

    /**
     * The calling thread, read so that it is right even on a continuation that migrated between
     * threads (see the class documentation). Costs a few nanoseconds more than
     * {@code Thread.currentThread()} on a runtime's threads, and nothing more elsewhere.
     *
     * <p>Why a plain read is safe when it names no {@link RuntimeThread} while no foreign thread
     * is bound: a stale read can only come from a frame that spans a suspension, which is a
     * block's, and every thread a block ever ran on is a {@code RuntimeThread} (multi-thread
     * runtime) or a thread bound, for as long as it drives blocks, to a current-thread runtime.
     * So a stale value would be a {@code RuntimeThread}, or the count of bound threads (a
     * volatile read, which the JIT cannot reuse across the suspension) would include the thread
     * the block runs on now. Threads spawning from outside, which feed whole runtimes (workload
     * W1), are spared the non-inlinable call (12% of such a thread's time in a profile).
     */
    public static Thread currentThread() {
        Thread t = Thread.currentThread();
        if (!(t instanceof RuntimeThread) && FOREIGN_COUNT.get() == 0) {
            return t;
        }
        try {
            return (Thread) currentThreadHandle.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError("Thread.currentThread() cannot fail", e);
        }
    }

    /**
     * {@code future.poll(cx)}, in a frame of its own that the JIT cannot inline into the caller
     * (see the class documentation): for polls made on an async block's stack. Throws whatever
     * the poll throws.
     */
    @SuppressWarnings("unchecked")
    public static <T> dev.eventide.Poll<T> pollInOwnFrame(dev.eventide.Future<T> future, dev.eventide.Context cx) {
        try {
            return (dev.eventide.Poll<T>) (dev.eventide.Poll<?>) pollHandle.invokeExact(future, cx);
        } catch (Throwable t) {
            throw ExecContext.<RuntimeException>sneaky(t);
        }
    }

    /** A synchronous call into a JDK channel, for {@link #ioInOwnFrame}. */
    @FunctionalInterface
    public interface IoAction<T> {
        T run() throws java.io.IOException;
    }

    /**
     * {@code action.run()}, in a frame of its own (see {@link #pollInOwnFrame}): for calls into a
     * JDK channel made where an async block may be on the stack. Throws whatever the action throws.
     */
    @SuppressWarnings("unchecked")
    public static <T> T ioInOwnFrame(IoAction<T> action) throws java.io.IOException {
        try {
            Object result = (Object) ioHandle.invokeExact(action);
            return (T) result;
        } catch (Throwable t) {
            throw ExecContext.<RuntimeException>sneaky(t);
        }
    }

    /**
     * Throws {@code t} as it is, checked or not, where the signature cannot declare it (a
     * handle's {@code Throwable}, a block's failure rethrown at its await).
     */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** The context of the calling thread, or null if it drives no runtime. */
    public static ExecContext current() {
        return of(currentThread());
    }

    /** The context of {@code t}, which must be the calling thread, or null. */
    public static ExecContext of(Thread t) {
        if (t instanceof RuntimeThread rt) {
            return rt.context;
        }
        return FOREIGN_COUNT.get() == 0 ? null : FOREIGN.get(t);
    }

    /** Registers {@code cx} as the calling thread's context until {@link #unbindForeign}. */
    public static void bindForeign(Thread t, ExecContext cx) {
        if (FOREIGN.put(t, cx) == null) {
            FOREIGN_COUNT.incrementAndGet();
        }
    }

    public static void unbindForeign(Thread t) {
        if (FOREIGN.remove(t) != null) {
            FOREIGN_COUNT.decrementAndGet();
        }
    }
}
