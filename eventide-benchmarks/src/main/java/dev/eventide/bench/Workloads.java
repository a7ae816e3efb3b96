package dev.eventide.bench;

import java.util.List;

/** The registry of workloads the harness knows, in report order. Add a workload here. */
final class Workloads {
    private Workloads() {
    }

    /** Every workload, in the order of WORKLOADS.md. */
    static List<Workload> all() {
        return List.of(
                new W1SpawnManyLocal(),
                new W2SpawnManyRemoteIdle(),
                new W3aSpawnManyRemoteBusy1(),
                new W3bSpawnManyRemoteBusy2(),
                new W4YieldMany(),
                new W5PingPong(),
                new W6ChainedSpawn(),
                new W7Mpsc(1),
                new W7Mpsc(4),
                new W8Timers(),
                new W9IdleTasks(),
                new W10TcpEcho(),
                new W11HttpPlaintext(),
                new W11HttpNettyCodec(),
                new W12BlockedWorker());
    }
}
