package dev.eventide.bench;

import java.util.concurrent.atomic.AtomicBoolean;

/** W2 spawn_many_remote_idle: 10,000 empty tasks spawned from the main thread, joined in order, on idle workers. */
final class W2SpawnManyRemoteIdle extends SpawnManyRemote {
    @Override
    public String id() {
        return "W2";
    }

    @Override
    public String name() {
        return "spawn_many_remote_idle";
    }

    @Override
    int tasks(Size size) {
        return size.pick(10_000, 1_000);
    }

    @Override
    public int warmupIterations(Size size) {
        return size.quick() ? 2 : 30;
    }

    @Override
    public int timedIterations(Size size) {
        return size.quick() ? 5 : 100;
    }

    @Override
    Closer startBackground(Sys sys, Object system, int workers, AtomicBoolean flag) {
        return () -> { };
    }
}
