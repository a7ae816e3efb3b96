package dev.eventide.bench;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An extra row beside W11: the same load ({@link Wrk}) against Netty's own HTTP codec
 * ({@link NetServer.Protocol#HTTP_CODEC}), the way Netty's documentation serves "hello world",
 * which parses each request fully; WORKLOADS.md's W11 allows a server built on a full HTTP
 * library if it says which headers it adds: none here, the two of the spec in lower case.
 * Netty only; Eventide's ratio is to its W11 figure, tokio's reference is its hyper row.
 */
final class W11HttpNettyCodec extends NetWorkload {
    W11HttpNettyCodec() {
        super(new Wrk());
    }

    @Override
    public String id() {
        return "W11-codec";
    }

    @Override
    public String name() {
        return "http_plaintext_netty_codec";
    }

    @Override
    public Set<Sys> systems() {
        return EnumSet.of(Sys.NETTY, Sys.NETTY_EPOLL);
    }

    @Override
    List<String> figures() {
        return Wrk.FIGURES;
    }

    @Override
    String clientDescription(Size size) {
        return Wrk.describe(size);
    }

    @Override
    String baselineId() {
        return "W11";
    }
}
