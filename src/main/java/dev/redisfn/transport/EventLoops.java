package dev.redisfn.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * Event-loop mechanics the public Vert.x API does not offer: a stable number per event-loop thread,
 * a timer that is a plain task of the calling event loop, and running on a duplicated context.
 */
public final class EventLoops {

    private static final Map<Thread, Integer> INDEX = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();

    /** A timer that can be cancelled. */
    public interface Timer {
        void cancel();
    }

    private EventLoops() {
    }

    /** A small, stable number for an event-loop thread, so each loop keeps using its own shared connection. */
    public static int indexOf(Thread eventLoop) {
        Integer index = INDEX.get(eventLoop);
        return index != null ? index : INDEX.computeIfAbsent(eventLoop, thread -> NEXT.getAndIncrement());
    }

    /**
     * Runs {@code task} after {@code delayMs} as a task of the calling context's Netty event loop —
     * one per call is on the hot path, and a Vert.x timer also registers itself as a close hook of
     * the context — or as a Vert.x timer off an event loop.
     */
    public static Timer schedule(Vertx vertx, long delayMs, Runnable task) {
        if (Vertx.currentContext() instanceof ContextInternal context) {
            ScheduledFuture<?> scheduled = context.nettyEventLoop().schedule(task, delayMs, TimeUnit.MILLISECONDS);
            return () -> scheduled.cancel(false);
        }
        long id = vertx.setTimer(delayMs, ignored -> task.run());
        return () -> vertx.cancelTimer(id);
    }

    /**
     * Runs {@code action} where a per-call value in the logging MDC stays with it: as it is on a
     * worker thread or a duplicated (per-request) context, on a fresh duplicate of an event loop's
     * root context — which keeps no MDC of its own — otherwise.
     */
    public static <T> T onDuplicatedContext(Supplier<T> action) {
        Context current = Vertx.currentContext();
        if (current == null || VertxContext.isDuplicatedContext(current)) {
            return action.get();
        }
        ContextInternal duplicate = ((ContextInternal) current).duplicate();
        ContextInternal previous = duplicate.beginDispatch();
        try {
            return action.get();
        } finally {
            duplicate.endDispatch(previous);
        }
    }
}
