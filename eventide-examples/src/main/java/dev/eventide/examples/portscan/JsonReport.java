package dev.eventide.examples.portscan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable report ({@code --json}): one JSON document on standard output, written
 * with Jackson.
 *
 * <pre>{@code
 * {
 *   "hosts" : [ { "address" : "127.0.0.1", "name" : "localhost",
 *                 "ports" : [ { "port" : 22, "state" : "open", "service" : "ssh", "latency_ms" : 0.08 } ] } ],
 *   "unresolved" : [ ],
 *   "options" : { "ports_per_host" : 100, "timeout_ms" : 1000, "retries" : 1, "concurrency" : 512, "all_states" : false },
 *   "summary" : { "scanned" : 100, "planned" : 100, "open" : 1, "closed" : 99, "filtered" : 0, "error" : 0,
 *                 "elapsed_s" : 0.04, "ports_per_second" : 2500.0, "interrupted" : false }
 * }
 * }</pre>
 * Ports whose state was not asked for (everything but open, by default) are left out of
 * {@code ports} but counted in {@code summary}. {@code detail} appears when the system said why a
 * port is filtered or in error.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    /** Builds the document for {@code report}. */
    public static ObjectNode document(List<Target> targets, int portsPerHost, ScanOptions options, ScanReport report,
            boolean allStates, List<String> unresolved) {
        ObjectNode root = MAPPER.createObjectNode();
        Map<Target, List<ScanResult>> byHost = new LinkedHashMap<>();
        for (Target t : targets) {
            byHost.put(t, new ArrayList<>());
        }
        for (ScanResult r : report.results().stream().sorted(ScanReport.BY_HOST_AND_PORT).toList()) {
            if (allStates || r.state() == PortState.OPEN) {
                byHost.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r);
            }
        }
        ArrayNode hosts = root.putArray("hosts");
        for (var e : byHost.entrySet()) {
            ObjectNode h = hosts.addObject();
            h.put("address", e.getKey().ip());
            if (e.getKey().name() != null) {
                h.put("name", e.getKey().name());
            }
            ArrayNode ports = h.putArray("ports");
            for (ScanResult r : e.getValue()) {
                ObjectNode p = ports.addObject();
                p.put("port", r.port());
                p.put("state", r.state().label());
                String service = TopPorts.get().service(r.port());
                if (service != null) {
                    p.put("service", service);
                }
                p.put("latency_ms", Math.round(r.latencyNanos() / 1e4) / 100.0);
                if (r.attempts() > 1) {
                    p.put("attempts", r.attempts());
                }
                if (r.detail() != null) {
                    p.put("detail", r.detail());
                }
            }
        }
        ArrayNode bad = root.putArray("unresolved");
        unresolved.forEach(bad::add);
        ObjectNode o = root.putObject("options");
        o.put("ports_per_host", portsPerHost);
        o.put("timeout_ms", options.timeout().toMillis());
        o.put("retries", options.retries());
        o.put("concurrency", options.concurrency());
        o.put("all_states", allStates);
        ObjectNode s = root.putObject("summary");
        s.put("scanned", report.results().size());
        s.put("planned", report.planned());
        report.counts().forEach((state, n) -> s.put(state.label(), n));
        s.put("elapsed_s", Math.round(report.elapsedNanos() / 1e6) / 1000.0);
        s.put("ports_per_second", Math.round(report.portsPerSecond() * 10) / 10.0);
        s.put("interrupted", report.interrupted());
        return root;
    }

    /** Writes the document to {@code out}, followed by a newline. */
    public static void print(PrintWriter out, ObjectNode document) {
        try {
            out.println(MAPPER.writeValueAsString(document));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // A tree of plain nodes always serialises; this would be a Jackson defect.
            throw new IllegalStateException("cannot write the JSON report", e);
        }
        out.flush();
    }
}
