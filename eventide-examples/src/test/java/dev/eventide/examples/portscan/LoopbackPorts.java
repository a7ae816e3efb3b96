package dev.eventide.examples.portscan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures on 127.0.0.1: listeners at known offsets, and a port whose backlog is full. */
final class LoopbackPorts {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private LoopbackPorts() {
    }

    /** Listeners (plain JDK, accepting nothing) at {@code base + offset} for each offset, with a free base. */
    static List<ServerSocket> listenAt(int... offsets) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket probe = new ServerSocket(0, 50, LOOPBACK)) {
                base = probe.getLocalPort();
            }
            if (base + offsets[offsets.length - 1] > 65_535) {
                continue;
            }
            List<ServerSocket> out = new ArrayList<>();
            try {
                for (int off : offsets) {
                    out.add(new ServerSocket(base + off, 50, LOOPBACK));
                }
                return out;
            } catch (IOException taken) {
                for (ServerSocket s : out) {
                    s.close();
                }
            }
        }
        throw new IOException("no free block of loopback ports found in 50 attempts");
    }

    /** Whether a plain blocking connect finds {@code port} open: the independent oracle. */
    static boolean openByJdk(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return !s.getLocalSocketAddress().equals(s.getRemoteSocketAddress());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A listener with backlog 1 that never accepts, whose queue has been filled until a connect
     * times out: Linux then drops further SYNs, so connects to it hang until their timeout. The
     * sockets that filled it are returned too, to be closed with it.
     */
    static List<AutoCloseable> fullBacklog() throws IOException {
        List<AutoCloseable> held = new ArrayList<>();
        ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
        held.add(server);
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            held.add(s);
            try {
                s.connect(server.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException full) {
                return held;
            }
        }
        throw new IOException("the backlog of " + server + " never filled");
    }
}
