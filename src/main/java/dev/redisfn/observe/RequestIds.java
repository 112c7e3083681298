package dev.redisfn.observe;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

import dev.redisfn.transport.EventLoops;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The id of one call: the caller's {@code X-Request-Id}, else a binary CloudEvent's {@code ce-id}
 * (a structured event's {@code id} is applied once the event is read), else a generated one.
 * It is echoed as {@code X-Request-Id} and kept in the logging MDC as {@code requestId}, so every
 * log line of the call carries it (console format {@code %X{requestId}}, JSON logs' {@code mdc}).
 */
public final class RequestIds {

    private RequestIds() {
    }

    public static final String HEADER = "X-Request-Id";
    /** {@link #HEADER} as Vert.x looks it up and writes it fastest: its hash and its bytes made once. */
    public static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
    public static final String MDC_KEY = "requestId";
    /** What a caller's id may look like: no spaces, quotes or control characters end up in a log line. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    /**
     * Sets the id of the call handled by {@code context}: in the MDC of the request's (duplicated)
     * Vert.x context, and as the response header — which is also where a worker thread finds it.
     */
    public static void assign(RoutingContext context, String id) {
        MDC.put(MDC_KEY, id);
        context.response().headers().set(HEADER_NAME, id);
    }

    /** A caller's id when it is safe to log, else null. */
    public static String accepted(String id) {
        return id != null && ACCEPTED.matcher(id).matches() ? id : null;
    }

    /**
     * The id of the call being served: from the MDC on the request's Vert.x context (the event-loop
     * fast path), else from the request Funqy is dispatching on a worker thread; null outside a call.
     */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        if (id != null) {
            return id.toString();
        }
        if (Arc.container() == null || !Arc.container().requestContext().isActive()) {
            return null;
        }
        try (InstanceHandle<CurrentVertxRequest> request = Arc.container().instance(CurrentVertxRequest.class)) {
            RoutingContext context = request.isAvailable() ? request.get().getCurrent() : null;
            return context == null ? null : context.response().headers().get(HEADER_NAME);
        }
    }

    /**
     * Runs {@code action} with {@code requestId} in the MDC, wherever it runs: on a worker thread,
     * on the request's Vert.x context, or in a Redis client's callback on an event loop's root
     * context — which keeps no MDC of its own, so the action runs on a fresh duplicate of it.
     */
    public static <T> T with(String requestId, Supplier<T> action) {
        if (requestId == null) {
            return action.get();
        }
        return EventLoops.onDuplicatedContext(() -> scoped(requestId, action));
    }

    private static <T> T scoped(String requestId, Supplier<T> action) {
        Object previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, requestId);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /** A random UUID without {@link UUID#randomUUID()}'s shared SecureRandom: ids need not be secret, only distinct. */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
