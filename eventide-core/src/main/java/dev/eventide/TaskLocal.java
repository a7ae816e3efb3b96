package dev.eventide;

import dev.eventide.runtime.ExecContext;
import dev.eventide.runtime.task.Task;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A value per task, as {@link ThreadLocal} is a value per thread: it follows its task from
 * worker to worker (a task may resume on another thread after every {@code await}, so a
 * {@code ThreadLocal} would not). Spawned tasks do not inherit their parent's values.
 *
 * <p>Values are stored in the task object itself; {@code get} and {@code set} are an array access.
 *
 * @param <T> the type of the value
 */
public final class TaskLocal<T> {
    private static final AtomicInteger NEXT_SLOT = new AtomicInteger();
    private static final Object UNSET = new Object();

    private final int slot = NEXT_SLOT.getAndIncrement();
    private final Supplier<? extends T> initial;

    private TaskLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /** A task-local whose initial value is null. */
    public static <T> TaskLocal<T> create() {
        return new TaskLocal<>(() -> null);
    }

    /** A task-local whose initial value in each task comes from {@code initial}. */
    public static <T> TaskLocal<T> withInitial(Supplier<? extends T> initial) {
        Objects.requireNonNull(initial, "initial");
        return new TaskLocal<>(initial);
    }

    /**
     * The current task's value.
     *
     * @throws IllegalStateException if called outside a task
     */
    public T get() {
        Object[] locals = slots(currentTask("get"));
        Object v = locals[slot];
        if (v == UNSET) {
            T init = initial.get();
            locals[slot] = init;
            return init;
        }
        @SuppressWarnings("unchecked")
        T value = (T) v;
        return value;
    }

    /** Sets the current task's value. */
    public void set(T value) {
        slots(currentTask("set"))[slot] = value;
    }

    /** Forgets the current task's value; the next {@code get} computes the initial value again. */
    public void remove() {
        Task<?> t = currentTask("remove");
        if (t.locals != null && slot < t.locals.length) {
            t.locals[slot] = UNSET;
        }
    }

    /** Runs {@code body} with this local set to {@code value}, then restores the previous value. */
    public <R> R scope(T value, Callable<R> body) throws Exception {
        Object[] locals = slots(currentTask("scope"));
        Object previous = locals[slot];
        locals[slot] = value;
        try {
            return body.call();
        } finally {
            slots(currentTask("scope"))[slot] = previous;
        }
    }

    private Object[] slots(Task<?> t) {
        Object[] l = t.locals;
        if (l == null || slot >= l.length) {
            int from = l == null ? 0 : l.length;
            l = l == null ? new Object[Math.max(4, slot + 1)] : Arrays.copyOf(l, Math.max(slot + 1, l.length * 2));
            Arrays.fill(l, from, l.length, UNSET);
            t.locals = l;
        }
        return l;
    }

    private static Task<?> currentTask(String what) {
        ExecContext cx = ExecContext.current();
        Task<?> t = cx == null ? null : cx.current;
        if (t == null) {
            throw new IllegalStateException("TaskLocal." + what + "() must be called from inside a task");
        }
        return t;
    }
}
