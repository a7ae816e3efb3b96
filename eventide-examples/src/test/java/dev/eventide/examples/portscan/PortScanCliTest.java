package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line as a user meets it: exit statuses, messages, the text and JSON reports. */
@Timeout(60)
class PortScanCliTest {
    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = PortScan.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-p 70000 127.0.0.1             | port 70000 is out of range",
        "-p 90-80 127.0.0.1             | reversed port range '90-80'",
        "-p 22,ssh 127.0.0.1            | 'ssh' in port list",
        "300.1.2.3                      | '300.1.2.3' is not a valid IPv4 address",
        "10.0.0.0/33                    | prefix /33 is longer than the 32 bits",
        "fe80:::1                       | not a valid IPv6 address",
        "10.0.0.0/8                     | more than --max-hosts 65536",
        "--timeout 0 127.0.0.1          | '0' must be positive",
        "--timeout -1s 127.0.0.1        | '-1s' must be positive",
        "--concurrency 0 127.0.0.1      | --concurrency must be at least 1, was 0",
        "--concurrency -4 127.0.0.1     | --concurrency must be at least 1, was -4",
        "--top 101 127.0.0.1            | --top must be between 1 and 100",
        "--top 5 -p 80 127.0.0.1        | either --ports or --top",
        "--retries -1 127.0.0.1         | --retries must be 0 or more",
        "--all --open-only 127.0.0.1    | either --all or --open-only",
        "--bogus 127.0.0.1              | Unknown option: '--bogus'",
        "-p 80                          | no target given",
    })
    void badInputIsAUsageErrorNamingTheProblem(String args, String expected) {
        Run r = run(args.strip().split("\\s+"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(expected).contains("portscan --help").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void dashPDashMeansEveryPortAndParses() {
        // Parsing only: a huge --max-hosts would still be refused before a scan for a missing target.
        Run r = run("-p-", "--top", "3", "127.0.0.1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("either --ports or --top");
    }

    @Test
    void jsonReportIsOneDocumentWithTheOpenPort() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, LoopbackPorts.LOOPBACK)) {
            int open = listener.getLocalPort();
            Run r = run("--json", "-p", (open - 1) + "-" + open, "--timeout", "2s", "127.0.0.1");
            assertThat(r.status()).isEqualTo(0);
            JsonNode doc = new ObjectMapper().readTree(r.out());
            JsonNode host = doc.get("hosts").get(0);
            assertThat(host.get("address").asText()).isEqualTo("127.0.0.1");
            assertThat(host.get("ports")).anySatisfy(p -> {
                assertThat(p.get("port").asInt()).isEqualTo(open);
                assertThat(p.get("state").asText()).isEqualTo("open");
            });
            assertThat(host.get("ports")).allSatisfy(p -> assertThat(p.get("state").asText()).isEqualTo("open"));
            assertThat(doc.get("summary").get("scanned").asInt()).isEqualTo(2);
            assertThat(doc.get("summary").get("open").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(doc.get("summary").get("interrupted").asBoolean()).isFalse();
        }
    }

    @Test
    void textReportWithAllStatesAndAnUnresolvableHostAmongGoodOnes() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, LoopbackPorts.LOOPBACK)) {
            int open = listener.getLocalPort();
            int closed;
            try (ServerSocket gone = new ServerSocket(0, 1, LoopbackPorts.LOOPBACK)) {
                closed = gone.getLocalPort();
            }
            Run r = run("--all", "-p", open + "," + closed, "no-such-host.invalid", "localhost", "127.0.0.1");
            assertThat(r.status()).isEqualTo(0);
            assertThat(r.err()).contains("cannot resolve host 'no-such-host.invalid'");
            assertThat(r.out()).contains(open + "/tcp").contains(closed + "/tcp")
                    .containsPattern(open + "/tcp +open").containsPattern(closed + "/tcp +closed")
                    .contains("Scanned 2 ports on 1 host").contains("ports/s");
            List<String> reports = r.out().lines().filter(l -> l.startsWith("Scan report for")).toList();
            // localhost and 127.0.0.1 are one host on an IPv4-first system: scanned once.
            assertThat(reports).hasSize(1);
        }
    }

    @Test
    void nothingResolvableIsStatusOne() {
        Run r = run("-p", "80", "no-such-host.invalid");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("nothing to scan");
    }

    @Test
    void demoPassesAndSaysSo() {
        Run r = run("--demo");
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).contains("listening on 127.0.0.1, ports").contains("Demo passed")
                .contains("Scanned 100 ports on 1 host");
        assertThat(r.out().lines().filter(l -> l.matches("\\d+/tcp +open.*")).count()).isGreaterThanOrEqualTo(DemoScan.LISTENERS);
    }
}
