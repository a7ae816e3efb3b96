package dev.eventide.bench;

/**
 * The systems a workload runs on: Eventide, and the JVM's own answers it is compared with.
 * Each has a short key used on the command line, in the JSON output and as a table column.
 */
public enum Sys {
    /** Eventide, tasks written as async blocks (lambdas run on continuations). */
    EVENTIDE("eventide", "Eventide (async blocks)"),
    /** Eventide, tasks written as poll-based {@code Future} state machines. */
    EVENTIDE_POLL("eventide-poll", "Eventide (poll futures)"),
    /** A {@code ForkJoinPool} in async (FIFO) mode, plain tasks. */
    FJP("fjp", "ForkJoinPool"),
    /** The same {@code ForkJoinPool}, with {@code CompletableFuture}s and their async stages. */
    FJP_CF("fjp-cf", "ForkJoinPool + CompletableFuture"),
    /** One virtual thread per task ({@code Executors.newVirtualThreadPerTaskExecutor}). */
    VTHREADS("vthreads", "Virtual threads"),
    /** Netty's {@code MultiThreadIoEventLoopGroup} with the NIO transport. */
    NETTY("netty", "Netty event loops"),
    /**
     * The same group with Netty's native epoll transport ({@code EpollIoHandler}); only where
     * {@code Epoll.isAvailable()} (Linux x86-64), elsewhere its rows are reported as skipped.
     */
    NETTY_EPOLL("netty-epoll", "Netty event loops (epoll)");

    /** The key used on the command line and in the output. */
    public final String key;
    /** The name shown in the table. */
    public final String title;

    Sys(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /**
     * The system with this key.
     *
     * @throws IllegalArgumentException if no system has that key
     */
    public static Sys of(String key) {
        for (Sys s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown system '" + key + "'; known: eventide, eventide-poll, fjp, fjp-cf,"
                + " vthreads, netty, netty-epoll");
    }

    /** Whether this is one of Eventide's variants (the others are the peers it is compared with). */
    public boolean isEventide() {
        return this == EVENTIDE || this == EVENTIDE_POLL;
    }
}
