package dev.eventide.examples;

import dev.eventide.examples.portscan.PortScan;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The entry point of the examples jar: {@code java -jar eventide-examples.jar [command] [args]}.
 *
 * <p>Each command is one example program. {@code demo}, the default, is the port scanner's demo
 * ({@code portscan --demo}): listeners on a few of loopback's common ports, a scan that must find
 * exactly them. The launcher at the repository root runs it as {@code ./eventide demo}, and any
 * command as {@code ./eventide run <command> [args]}.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command named by the first argument ({@code demo} if there is none) and exits with
     * its status: 0 on success, 1 if the program's own checks failed, 2 on a usage error, 130 when
     * interrupted.
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int status = switch (command) {
            case "demo" -> PortScan.execute(prepend("--demo", rest));
            case "portscan" -> PortScan.execute(rest);
            case "runtime-demo" -> RuntimeDemo.run(rest, System.out);
            case "echo-server" -> new CommandLine(new EchoServer()).execute(rest);
            case "http-hello" -> new CommandLine(new HttpHello()).execute(rest);
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

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void usage() {
        System.err.println("""
                usage: eventide-examples [command] [args]
                commands:
                  demo           the port scanner's demo: listen on a few loopback ports, scan, check (the default)
                  portscan       the TCP port scanner (portscan --help for its options)
                  runtime-demo   a tour of the runtime that checks its own results
                  echo-server    TCP echo server on 127.0.0.1 (--port, default 7000)
                  http-hello     HTTP/1.1 Hello, World! server on 127.0.0.1 (--port, default 8080)""");
    }
}
