package dev.redisfn.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that ReplyGuards may hold at once across all connections of the JVM (the open
 * replies that span reads; replies complete within one read take nothing from it).
 */
public final class ReplyBudget {

    /**
     * Reserved bytes of a held reply that this thread is handing to the parser: a call charging its
     * parsed reply within the hand-over takes them instead of reserving anew.
     */
    private final ThreadLocal<long[]> handed = ThreadLocal.withInitial(() -> new long[1]);

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public ReplyBudget(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity < 0: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Takes {@code bytes} if they fit in what is left; all or nothing. */
    public boolean tryReserve(long bytes) {
        for (long now = used.get(); now + bytes <= capacity; now = used.get()) {
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
        return false;
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /**
     * Takes {@code bytes} for a call's replies: first what a reply being handed to the parser on
     * this thread holds already, the rest if it fits in what is left; all or nothing.
     */
    public boolean tryReserveForCall(long bytes) {
        long[] here = handed.get();
        long taken = Math.min(here[0], bytes);
        if (taken < bytes && !tryReserve(bytes - taken)) {
            return false;
        }
        here[0] -= taken;
        return true;
    }

    /** Starts handing {@code bytes}, reserved for a held reply, to whichever call charges it on this thread. */
    void handOver(long bytes) {
        handed.get()[0] += bytes;
    }

    /** Ends the hand-over: what no call took, to be released. */
    long takeBack() {
        long[] here = handed.get();
        long left = here[0];
        here[0] = 0;
        return left;
    }

    public long inUse() {
        return used.get();
    }

    public long capacity() {
        return capacity;
    }
}
