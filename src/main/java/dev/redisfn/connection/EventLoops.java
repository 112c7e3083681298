package dev.redisfn.connection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small, stable number per event-loop thread, so each loop keeps using its own shared connection. */
final class EventLoops {

    private static final Map<Thread, Integer> INDEX = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private EventLoops() {
    }

    static int indexOf(Thread eventLoop) {
        Integer index = INDEX.get(eventLoop);
        return index != null ? index : INDEX.computeIfAbsent(eventLoop, thread -> NEXT.getAndIncrement());
    }
}
