/**
 * Eventide: an asynchronous runtime in the mould of tokio.
 *
 * <p>Async blocks run on {@code jdk.internal.vm.Continuation}, so the JVM must be started with
 * {@code --add-exports java.base/jdk.internal.vm=dev.eventide} on the module path (or
 * {@code =ALL-UNNAMED} on the class path).
 */
module dev.eventide {
    exports dev.eventide;
    exports dev.eventide.time;
    exports dev.eventide.io;
    exports dev.eventide.net;
    exports dev.eventide.fs;
    exports dev.eventide.process;
    exports dev.eventide.signal;
    exports dev.eventide.sync;
    requires jdk.jfr;
    requires java.management; // thread CPU time, for the compensation policy
    requires jdk.unsupported; // sun.misc.Signal, for dev.eventide.signal
}
