package dev.eventide.runtime.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which workers are parked and how many are searching for work (tokio's {@code idle.rs}).
 *
 * <p>{@code state} packs the number of unparked workers (high 16 bits) and of searching workers
 * (low 16 bits) into one atomic word; the set of parked workers is a bitmap. At most half the
 * workers search at once, so an idle runtime does not burn every core looking for scraps.
 *
 * <h2>No lost wake-ups</h2>
 * A producer pushes its task and then ({@link #workerToNotify}) reads {@code state}; a worker that
 * stops searching decrements {@code state} and then, if it was the last searcher, looks at every
 * queue once more. Both sides use sequentially consistent atomics, so one of them sees the other:
 * either the producer sees no searcher and wakes a parked worker, or the last searcher finds the
 * task. A worker that finds work while searching, if it was the last searcher, wakes one more if
 * more work is in sight, looking as a parking last searcher does (the wake-up ripples, it does not
 * stampede, and a lone task wakes nobody). Searchers spin for a while before they park
 * ({@code spinBeforePark}): producers wake nobody meanwhile, and the searcher finds their work.
 */
final class Idle {
    private static final int UNPARK_SHIFT = 16;
    private static final int UNPARK_ONE = 1 << UNPARK_SHIFT;
    private static final int SEARCH_MASK = UNPARK_ONE - 1;

    private final AtomicInteger state;
    private final AtomicLongArray parked;
    private final int numWorkers;

    Idle(int numWorkers) {
        if (numWorkers >= SEARCH_MASK) {
            throw new IllegalArgumentException("too many workers: " + numWorkers);
        }
        this.numWorkers = numWorkers;
        this.state = new AtomicInteger(numWorkers << UNPARK_SHIFT);
        this.parked = new AtomicLongArray((numWorkers + 63) >>> 6);
    }

    private static int searching(int s) {
        return s & SEARCH_MASK;
    }

    private static int unparked(int s) {
        return s >>> UNPARK_SHIFT;
    }

    /** A worker with no work wants to search; false if enough workers search already. */
    boolean transitionWorkerToSearching() {
        int s = state.get();
        if (2 * searching(s) >= numWorkers) {
            return false;
        }
        // Not a CAS: an occasional extra searcher is cheaper than a retry loop.
        state.getAndAdd(1);
        return true;
    }

    /** A searching worker found work; returns true if it was the last searcher (wake another). */
    boolean transitionWorkerFromSearching() {
        return searching(state.getAndAdd(-1)) == 1;
    }

    /** Marks worker {@code index} parked; returns true if it was the last searcher. */
    boolean transitionWorkerToParked(int index, boolean isSearching) {
        setParked(index);
        int prev = state.getAndAdd(-(UNPARK_ONE + (isSearching ? 1 : 0)));
        return isSearching && searching(prev) == 1;
    }

    /**
     * Picks a parked worker to wake for new work, counting it unparked and searching, or returns
     * -1 if a searcher will find the work anyway or every worker is awake.
     */
    int workerToNotify() {
        int s = state.get();
        if (searching(s) != 0 || unparked(s) >= numWorkers) {
            return -1;
        }
        int index = popParked();
        if (index >= 0) {
            state.getAndAdd(UNPARK_ONE + 1);
        }
        return index;
    }

    /** Worker {@code index} unparks itself because it has work; true if it was still marked parked. */
    boolean unparkWorkerById(int index) {
        if (clearParked(index)) {
            state.getAndAdd(UNPARK_ONE + 1);
            return true;
        }
        return false;
    }

    boolean isParked(int index) {
        return (parked.get(index >>> 6) & (1L << index)) != 0;
    }

    /** Whether every worker is parked (for the virtual clock's auto-advance). */
    boolean allParked() {
        return unparked(state.get()) == 0;
    }

    int numSearching() {
        return searching(state.get());
    }

    private void setParked(int index) {
        parked.getAndAccumulate(index >>> 6, 1L << index, (a, b) -> a | b);
    }

    private boolean clearParked(int index) {
        int w = index >>> 6;
        long bit = 1L << index;
        for (;;) {
            long cur = parked.get(w);
            if ((cur & bit) == 0) {
                return false;
            }
            if (parked.compareAndSet(w, cur, cur & ~bit)) {
                return true;
            }
        }
    }

    private int popParked() {
        for (int w = 0; w < parked.length(); w++) {
            for (;;) {
                long cur = parked.get(w);
                if (cur == 0) {
                    break;
                }
                long bit = Long.lowestOneBit(cur);
                if (parked.compareAndSet(w, cur, cur & ~bit)) {
                    return (w << 6) + Long.numberOfTrailingZeros(bit);
                }
            }
        }
        return -1;
    }
}
