package dev.eventide.runtime.task;

/**
 * Whether async blocks can run: they need {@code jdk.internal.vm} exported to this code. Checked
 * before the first continuation class is loaded, so that a missing flag is one clear message and
 * not an {@code IllegalAccessError}.
 */
public final class Continuations {
    private static final Module SELF = Continuations.class.getModule();
    private static final boolean AVAILABLE = Object.class.getModule().isExported("jdk.internal.vm", SELF);

    /** The JVM option that makes async blocks available to this code. */
    public static final String FLAG = "--add-exports java.base/jdk.internal.vm="
            + (SELF.isNamed() ? SELF.getName() : "ALL-UNNAMED");

    private Continuations() {
    }

    public static boolean available() {
        return AVAILABLE;
    }

    /** Throws a clear {@link IllegalStateException} naming the missing JVM option. */
    public static void ensureAvailable() {
        if (!AVAILABLE) {
            throw new IllegalStateException("Async blocks need the JVM option '" + FLAG + "': they run on"
                    + " jdk.internal.vm.Continuation, which the JDK does not export by default. Add the option"
                    + " to the java command line (or, for 'java -jar', the manifest attribute 'Add-Exports:"
                    + " java.base/jdk.internal.vm'). Poll-based futures work without it.");
        }
    }
}
