package dev.eventide.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Describes a child process to start (tokio's {@code tokio::process::Command}, over
 * {@link ProcessBuilder}): the program and its arguments, environment, working directory and
 * where its standard streams go.
 *
 * <pre>{@code
 * try (Child child = Command.of("ls", "-l").stdout(Stdio.PIPED).spawn()) {
 *     for (String line; (line = child.stdout().readLine().await()) != null; ) {
 *         System.out.println(line);
 *     }
 *     int status = child.waitFor().await();
 * }
 * }</pre>
 *
 * A command may be spawned several times; each {@link #spawn()} uses its settings at that moment.
 * Not thread-safe while being configured.
 */
public final class Command {
    private final List<String> command = new ArrayList<>();
    private final ProcessBuilder builder = new ProcessBuilder(command);
    private Stdio stdin = Stdio.INHERIT;
    private Stdio stdout = Stdio.INHERIT;
    private Stdio stderr = Stdio.INHERIT;
    private boolean killOnClose;

    private Command(String program) {
        command.add(program);
    }

    /**
     * A command that runs {@code program} (a path, or a name looked up in {@code PATH}) with
     * {@code args}.
     *
     * @throws IllegalArgumentException if {@code program} is empty
     */
    public static Command of(String program, String... args) {
        Objects.requireNonNull(program, "program");
        if (program.isEmpty()) {
            throw new IllegalArgumentException("program must not be empty");
        }
        return new Command(program).args(args);
    }

    /** A command from a list: the program, then its arguments. */
    public static Command of(List<String> commandLine) {
        Objects.requireNonNull(commandLine, "commandLine");
        if (commandLine.isEmpty()) {
            throw new IllegalArgumentException("commandLine must name a program: it is empty");
        }
        Command c = of(commandLine.getFirst());
        c.args(commandLine.subList(1, commandLine.size()).toArray(String[]::new));
        return c;
    }

    /** Adds one argument. */
    public Command arg(String arg) {
        command.add(Objects.requireNonNull(arg, "arg"));
        return this;
    }

    /** Adds arguments. */
    public Command args(String... args) {
        Objects.requireNonNull(args, "args");
        for (String a : args) {
            arg(a);
        }
        return this;
    }

    /** Sets an environment variable of the child (the environment starts as this process's). */
    public Command env(String name, String value) {
        builder.environment().put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Removes an environment variable from the child's environment. */
    public Command envRemove(String name) {
        builder.environment().remove(Objects.requireNonNull(name, "name"));
        return this;
    }

    /** Empties the child's environment. */
    public Command envClear() {
        builder.environment().clear();
        return this;
    }

    /** The child's environment, for bulk changes. */
    public Map<String, String> environment() {
        return builder.environment();
    }

    /** The child's working directory (default: this process's). */
    public Command directory(Path dir) {
        builder.directory(Objects.requireNonNull(dir, "dir").toFile());
        return this;
    }

    /** Where the child's standard input comes from (default {@link Stdio#INHERIT}). */
    public Command stdin(Stdio s) {
        this.stdin = Objects.requireNonNull(s, "stdin");
        return this;
    }

    /** Where the child's standard output goes (default {@link Stdio#INHERIT}). */
    public Command stdout(Stdio s) {
        this.stdout = Objects.requireNonNull(s, "stdout");
        return this;
    }

    /** Where the child's standard error goes (default {@link Stdio#INHERIT}). */
    public Command stderr(Stdio s) {
        this.stderr = Objects.requireNonNull(s, "stderr");
        return this;
    }

    /**
     * Whether {@link Child#close()} (and so closing the runtime that spawned it) kills a child
     * still running (default false, as in tokio: children outlive their handles). Set it when a
     * task reads the child's output, so that closing the runtime also ends that read.
     */
    public Command killOnClose(boolean on) {
        this.killOnClose = on;
        return this;
    }

    /**
     * Starts the child. Starting is a {@code fork}/{@code exec} (a few milliseconds at most), done
     * on the calling thread, as tokio does.
     *
     * @throws UncheckedIOException if the program cannot be started (cause: the JDK's
     *     {@code IOException}, whose message names the program and the OS error)
     */
    public Child spawn() {
        builder.redirectInput(switch (stdin) {
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case PIPED -> ProcessBuilder.Redirect.PIPE;
            case NULL -> ProcessBuilder.Redirect.from(new File("/dev/null"));
        });
        builder.redirectOutput(output(stdout));
        builder.redirectError(output(stderr));
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Command.spawn(" + command + ") failed: " + e.getMessage(), e);
        }
        return Child.adopt(p, stdin == Stdio.PIPED, stdout == Stdio.PIPED, stderr == Stdio.PIPED, killOnClose);
    }

    private static ProcessBuilder.Redirect output(Stdio s) {
        return switch (s) {
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case PIPED -> ProcessBuilder.Redirect.PIPE;
            case NULL -> ProcessBuilder.Redirect.DISCARD;
        };
    }

    @Override
    public String toString() {
        return "Command" + command;
    }
}
