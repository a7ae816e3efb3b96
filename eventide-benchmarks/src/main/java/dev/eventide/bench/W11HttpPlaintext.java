package dev.eventide.bench;

import java.util.List;

/**
 * W11 — HTTP/1.1 plaintext: each system's server ({@link NetServer.Protocol#HTTP}, the exact
 * 78-byte response, keep-alive, pipelining) in its own JVM, measured by {@link Wrk}
 * ({@code -t1 -c64}). Value: wrk's requests per second; other figures: its latency p50, p75,
 * p90 and p99 in µs.
 */
final class W11HttpPlaintext extends NetWorkload {
    W11HttpPlaintext() {
        super(new Wrk());
    }

    @Override
    public String id() {
        return "W11";
    }

    @Override
    public String name() {
        return "http_plaintext";
    }

    @Override
    List<String> figures() {
        return Wrk.FIGURES;
    }

    @Override
    String clientDescription(Size size) {
        return Wrk.describe(size);
    }
}
