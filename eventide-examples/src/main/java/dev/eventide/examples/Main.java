package dev.eventide.examples;

import java.util.Arrays;

/**
 * The entry point of the examples jar: {@code java -jar eventide-examples.jar [command] [args]}.
 *
 * <p>Each command is one example program; {@code demo}, the default, is a short tour of the
 * runtime that checks its own results. The launcher at the repository root runs it as
 * {@code ./eventide demo}, and any command as {@code ./eventide run <command> [args]}.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command named by the first argument ({@code demo} if there is none) and exits with
     * its status: 0 on success, 1 if the program's own checks failed, 2 on a usage error.
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int status = switch (command) {
            case "demo" -> RuntimeDemo.run(rest, System.out);
            case "help", "-h", "--help" -> {
                usage();
                yield 0;
            }
            default -> {
                System.err.println("unknown command: " + command);
                usage();
                yield 2;
            }
        };
        System.exit(status);
    }

    private static void usage() {
        System.err.println("""
                usage: eventide-examples [command] [args]
                commands:
                  demo    a tour of the runtime that checks its own results (the default)""");
    }
}
