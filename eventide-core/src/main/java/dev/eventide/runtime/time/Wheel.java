package dev.eventide.runtime.time;

/**
 * A hierarchical timing wheel (tokio's {@code time/wheel}): six levels of 64 slots; a slot of
 * level {@code L} spans {@code 64^L} ticks of one millisecond, so the wheel spans 64^6 ms (about
 * 2.2 years). Insertion, removal and finding the next expiration are O(1).
 *
 * <h2>Placement</h2>
 * An entry goes to the level of the highest bit in which its deadline differs from
 * {@link #elapsed} (the time up to which the wheel has fired everything), in the slot given by
 * the deadline's bits at that level. So every level-0 entry expires within the current 64 ms
 * block, every level-1 entry within the current 4 s block but after the level-0 ones, and so on:
 * the lowest occupied level holds the earliest deadline. When time reaches a slot of a level
 * above 0, its entries are re-inserted and fall to lower levels, each step closer to its
 * deadline; level-0 slots hold entries of exactly one deadline and fire.
 *
 * <h2>Deadlines beyond the span</h2>
 * An entry more than one span away goes to the top level, whose slots then act as a ring
 * visited once per span: when its slot comes round it is re-inserted, and fires once its
 * deadline is within reach. So deadlines years away work, at the cost of one re-insertion per
 * 2.2 years.
 *
 * <p>Not thread-safe: the owner ({@link TimeDriver}) guards it with its wheel lock.
 */
final class Wheel {
    static final int LEVELS = 6;
    private static final int SLOT_BITS = 6;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final long MAX_SPAN = 1L << (LEVELS * SLOT_BITS);

    private final TimerEntry[] slots = new TimerEntry[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS];
    /** Every entry with a deadline at or before this tick has been expired. */
    long elapsed;
    private int size;
    // where nextExpiration() found it, for processExpiration
    private int expLevel;
    private int expSlot;

    /** How many entries the wheel holds. */
    int size() {
        return size;
    }

    /** Links {@code e} into its slot; a deadline already reached goes to the next tick. */
    void insert(TimerEntry e) {
        long when = Math.max(e.deadline, elapsed + 1);
        int level = levelFor(elapsed, when);
        int slot = (int) (when >>> (level * SLOT_BITS)) & (SLOTS - 1);
        int index = level * SLOTS + slot;
        TimerEntry head = slots[index];
        e.prev = null;
        e.next = head;
        if (head != null) {
            head.prev = e;
        }
        slots[index] = e;
        occupied[level] |= 1L << slot;
        e.slot = (short) index;
        size++;
    }

    /** Unlinks {@code e}, which must be in this wheel. */
    void remove(TimerEntry e) {
        int index = e.slot;
        TimerEntry p = e.prev;
        TimerEntry n = e.next;
        if (p == null) {
            slots[index] = n;
            if (n == null) {
                occupied[index >>> SLOT_BITS] &= ~(1L << (index & (SLOTS - 1)));
            }
        } else {
            p.next = n;
        }
        if (n != null) {
            n.prev = p;
        }
        e.prev = null;
        e.next = null;
        e.slot = -1;
        size--;
    }

    private static int levelFor(long elapsed, long when) {
        long masked = (elapsed ^ when) | (SLOTS - 1);
        if (masked >= MAX_SPAN) {
            masked = MAX_SPAN - 1;
        }
        int significant = 63 - Long.numberOfLeadingZeros(masked);
        return significant / SLOT_BITS;
    }

    /**
     * The tick at which the wheel next has work (an entry to fire, or a slot to cascade to lower
     * levels), or {@link Long#MAX_VALUE} if it is empty. Never earlier than the earliest deadline
     * would require, never later than it.
     */
    long nextExpiration() {
        for (int level = 0; level < LEVELS; level++) {
            long occ = occupied[level];
            if (occ == 0) {
                continue;
            }
            int shift = level * SLOT_BITS;
            long slotRange = 1L << shift;
            long levelRange = slotRange << SLOT_BITS;
            // Visit order: the slots after the current one in this rotation, then (only on the
            // top level, the ring for deadlines beyond the span) those up to and including the
            // current one in the next rotation. The current slot never holds an entry due in
            // this rotation: such an entry would have gone to a lower level.
            int now = (int) (elapsed >>> shift) & (SLOTS - 1);
            int from = (now + 1) & (SLOTS - 1);
            int slot = (Long.numberOfTrailingZeros(Long.rotateRight(occ, from)) + from) & (SLOTS - 1);
            long deadline = (elapsed & -levelRange) + slot * slotRange;
            if (slot <= now) {
                deadline += levelRange;
            }
            expLevel = level;
            expSlot = slot;
            return deadline;
        }
        return Long.MAX_VALUE;
    }

    /** Unlinks every entry, handing each to {@code sink}; for shutdown. */
    void clear(java.util.function.Consumer<TimerEntry> sink) {
        for (int i = 0; i < slots.length; i++) {
            TimerEntry e = slots[i];
            slots[i] = null;
            while (e != null) {
                TimerEntry n = e.next;
                e.prev = null;
                e.next = null;
                e.slot = -1;
                size--;
                sink.accept(e);
                e = n;
            }
        }
        java.util.Arrays.fill(occupied, 0);
    }

    /**
     * Advances the wheel to {@code now}, handing every entry whose deadline is at or before it to
     * {@code sink} (in deadline order), and re-inserting the entries of higher-level slots passed
     * on the way.
     */
    void poll(long now, TimeDriver sink) {
        for (;;) {
            long exp = nextExpiration();
            if (exp > now) {
                if (now > elapsed) {
                    elapsed = now;
                }
                return;
            }
            int index = expLevel * SLOTS + expSlot;
            TimerEntry e = slots[index];
            slots[index] = null;
            occupied[expLevel] &= ~(1L << expSlot);
            elapsed = exp;
            while (e != null) {
                TimerEntry n = e.next;
                e.prev = null;
                e.next = null;
                e.slot = -1;
                size--;
                if (e.deadline <= exp) {
                    sink.expired(e);
                } else if (!e.isCancelled()) {
                    insert(e);
                }
                e = n;
            }
        }
    }
}
