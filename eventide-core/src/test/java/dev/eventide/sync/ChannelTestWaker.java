package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.concurrent.atomic.AtomicInteger;

/** A waker that counts its wakes, for driving channel futures by hand in tests. */
final class ChannelTestWaker implements Waker {
    private final AtomicInteger wakes = new AtomicInteger();
    final Context cx = Context.of(this);

    @Override
    public void wake() {
        wakes.incrementAndGet();
    }

    int wakes() {
        return wakes.get();
    }

    <T> Poll<T> poll(Future<T> f) {
        return f.poll(cx);
    }
}
