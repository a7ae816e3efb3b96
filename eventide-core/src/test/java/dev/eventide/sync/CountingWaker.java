package dev.eventide.sync;

import dev.eventide.Context;
import dev.eventide.Future;
import dev.eventide.Poll;
import dev.eventide.Waker;
import java.util.concurrent.atomic.AtomicInteger;

/** A waker for driving futures by hand in tests: counts its wakes and is its own context. */
final class CountingWaker implements Waker, Context {
    private final AtomicInteger wakes = new AtomicInteger();

    @Override
    public void wake() {
        wakes.incrementAndGet();
    }

    @Override
    public Waker waker() {
        return this;
    }

    int wakes() {
        return wakes.get();
    }

    /** Polls {@code f} once with this waker. */
    <T> Poll<T> poll(Future<T> f) {
        return f.poll(this);
    }
}
