package dev.redisfn.transport;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The bytes that the Redis replies held on the heap may take at once across all connections of the
 * JVM: the open replies that ReplyGuards hold across reads, the parsed replies on their way to their
 * calls, and what each call holds (replies completed within one read take nothing until a call
 * charges them).
 * <p>
 * A held reply's bytes stay reserved after the guard hands it to the parser: Vert.x completes the
 * reply's future on the caller's event loop, which may be another one, so the parsed reply can wait
 * in that loop's task queue. The reservation waits with it, as an unclaimed hand-over, until a call
 * charging a reply claims it (on any thread) — so a reply is neither counted twice nor not at all.
 * A hand-over no call claims (its call was abandoned at its deadline) is released after {@link
 * #UNCLAIMED_NANOS}.
 */
public final class ReplyBudget {

    /**
     * The smallest reservation kept for a call to claim; a smaller one is released as the reply is handed
     * on (its call claims nothing: a reply that small fits in what a call holds without reserving), so that
     * the many small replies that happen to span two reads do not pile up in the budget.
     */
    public static final long MIN_HANDED = 8 * 1024;
    /** How long a handed reply's reservation waits for its call: far longer than a task queue's delay. */
    public static final long UNCLAIMED_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final LongSupplier nanoClock;
    /** The reservations of handed replies that no call claimed yet, oldest first: {bytes, expiry}; guarded by itself. */
    private final ArrayDeque<long[]> unclaimed = new ArrayDeque<>();
    /** Their sum, read without the lock so that a call finds nothing to claim cheaply. */
    private volatile long unclaimedBytes;

    public ReplyBudget(long capacity) {
        this(capacity, System::nanoTime);
    }

    public ReplyBudget(long capacity, LongSupplier nanoClock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity < 0: " + capacity);
        }
        this.capacity = capacity;
        this.nanoClock = nanoClock;
    }

    /** Takes {@code bytes} if they fit in what is left; all or nothing. */
    public boolean tryReserve(long bytes) {
        for (long now = used.get(); now + bytes <= capacity; now = used.get()) {
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
        if (unclaimedBytes > 0 && expire() > 0) {
            return tryReserve(bytes);
        }
        return false;
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /**
     * Takes {@code bytes} for a call: up to {@code claimable} of them from the reservations of handed
     * replies (the call is charging a reply of that size; a claim beyond {@code bytes} is released),
     * the rest if it fits in what is left; all or nothing.
     */
    public boolean tryReserveForCall(long bytes, long claimable) {
        long taken = unclaimedBytes > 0 ? claim(claimable) : 0;
        if (taken > bytes) { // the call holds enough already: the reply's own reservation is not needed
            release(taken - bytes);
            taken = bytes;
        }
        if (taken < bytes && !tryReserve(bytes - taken)) {
            release(taken); // the call fails and drops its replies: what it claimed is free
            return false;
        }
        return true;
    }

    /** Releases up to {@code claimable} bytes of handed replies: a call charged such a reply and does not keep it. */
    public void forgo(long claimable) {
        if (claimable > 0 && unclaimedBytes > 0) {
            release(claim(claimable));
        }
    }

    /** Keeps {@code bytes}, reserved for a held reply that is handed to the parser, for the call that will charge it. */
    void handOver(long bytes) {
        if (bytes < MIN_HANDED) {
            release(bytes);
            return;
        }
        synchronized (unclaimed) {
            unclaimed.addLast(new long[] {bytes, nanoClock.getAsLong() + UNCLAIMED_NANOS});
            unclaimedBytes += bytes;
        }
    }

    private long claim(long wanted) {
        expire();
        long taken = 0;
        synchronized (unclaimed) {
            while (taken < wanted && !unclaimed.isEmpty()) {
                long[] oldest = unclaimed.peekFirst();
                long part = Math.min(oldest[0], wanted - taken);
                oldest[0] -= part;
                taken += part;
                if (oldest[0] == 0) {
                    unclaimed.removeFirst();
                }
            }
            unclaimedBytes -= taken;
        }
        return taken;
    }

    /** Releases the hand-overs that waited too long for their call; returns how many bytes. */
    private long expire() {
        long now = nanoClock.getAsLong();
        long expired = 0;
        synchronized (unclaimed) {
            while (!unclaimed.isEmpty() && unclaimed.peekFirst()[1] - now <= 0) {
                expired += unclaimed.removeFirst()[0];
            }
            unclaimedBytes -= expired;
        }
        release(expired);
        return expired;
    }

    public long inUse() {
        return used.get();
    }

    /** The part of {@link #inUse()} that handed replies hold until their calls claim it. */
    public long unclaimed() {
        return unclaimedBytes;
    }

    public long capacity() {
        return capacity;
    }
}
