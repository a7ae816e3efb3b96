package dev.eventide.io;

import dev.eventide.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** An AsyncRead that yields scripted chunks, with a PENDING (and a wake) before each one. */
final class ScriptedRead implements AsyncRead {
    private final Deque<byte[]> chunks = new ArrayDeque<>();
    private boolean pendingFirst = true;
    int pendings;

    ScriptedRead(String... parts) {
        for (String p : parts) {
            chunks.add(p.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public int pollRead(Context cx, ByteBuffer dst) {
        if (pendingFirst) {
            pendingFirst = false;
            pendings++;
            cx.waker().wake();
            return PENDING;
        }
        byte[] c = chunks.poll();
        if (c == null) {
            return EOF;
        }
        int n = Math.min(c.length, dst.remaining());
        dst.put(c, 0, n);
        if (n < c.length) {
            byte[] rest = new byte[c.length - n];
            System.arraycopy(c, n, rest, 0, rest.length);
            chunks.addFirst(rest);
        }
        pendingFirst = true;
        return n;
    }
}
