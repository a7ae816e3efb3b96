package dev.eventide.bench;

import java.util.List;

/**
 * W10 — TCP echo on loopback: each system's echo server ({@link NetServer.Protocol#ECHO}) in
 * its own JVM, measured by {@link Echoload} ({@code --conns 100 --size 64}). Value: requests
 * per second; other figures: the round trip's p50, p90, p99, p99.9 and max in µs.
 */
final class W10TcpEcho extends NetWorkload {
    W10TcpEcho() {
        super(new Echoload());
    }

    @Override
    public String id() {
        return "W10";
    }

    @Override
    public String name() {
        return "tcp_echo";
    }

    @Override
    List<String> figures() {
        return Echoload.FIGURES;
    }

    @Override
    String clientDescription(Size size) {
        return Echoload.describe(size);
    }
}
