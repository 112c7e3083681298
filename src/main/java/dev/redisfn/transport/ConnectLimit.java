package dev.redisfn.transport;

import java.util.concurrent.atomic.AtomicInteger;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

/**
 * Connects to Redis servers in progress, all clients together, at most {@code max}: a connect that
 * gets no answer (an address that drops packets) lasts the config's connectTimeoutMs, up to 120 s,
 * holding its client's memory, while the call that started it may have been answered long before
 * and its caller may send another. One past the limit fails at once, OVERLOADED.
 */
public final class ConnectLimit {

    private final int max;
    private final AtomicInteger inProgress = new AtomicInteger();

    public ConnectLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-connecting must be at least 1: " + max);
        }
        this.max = max;
    }

    boolean tryAcquire() {
        while (true) {
            int now = inProgress.get();
            if (now >= max) {
                return false;
            }
            if (inProgress.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        inProgress.decrementAndGet();
    }

    /** Connects under way now. */
    public int inProgress() {
        return inProgress.get();
    }

    ConnectorException refusal() {
        return new ConnectorException(ErrorCode.OVERLOADED, max + " connections to Redis servers are being opened at"
                + " once, the most the function allows; nothing was sent", "connector.limits.max-connecting: connects"
                + " that get no answer hold their place for connectTimeoutMs — retry shortly, lower connectTimeoutMs,"
                + " or check the addresses the events name");
    }
}
