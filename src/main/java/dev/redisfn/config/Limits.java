package dev.redisfn.config;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.redisfn.config.ConnectorSettings;

import io.quarkus.runtime.configuration.MemorySize;

/**
 * The limits in force: {@code connector.limits.*} where set, otherwise shares of the JVM's heap
 * (README "Limits"). A body larger than the body budget could never be admitted, so the budget is
 * never below the largest body. The reply budget is heap bytes: a call holds about twice its counted
 * replies (as parsed, and as text) and writes an answer up to twice their size, so the reply limit
 * is at most a quarter of the budget, or its largest replies could never be served. Configs an event
 * carries are bounded in size, and those remembered in bytes, as the function keeps them past the call.
 */
@Singleton
public class Limits {

    private final long maxBody;
    private final long bodyBudget;
    private final long replySize;
    private final long replyBudget;
    private final long connectionSize;
    private final long configMemo;
    private final int maxConcurrentCalls;
    private final int maxPipelined;
    private final int maxConnecting;
    private final long bodyIdleTimeoutMs;
    private final long bodyTimeoutMs;

    @Inject
    public Limits(ConnectorSettings settings,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this(settings.limits(), maxBody.asLongValue(), Runtime.getRuntime().maxMemory());
    }

    Limits(ConnectorSettings.Limits limits, long maxBody, long heap) {
        this.maxBody = maxBody;
        this.bodyBudget = Math.max(maxBody, bytes(limits.bodyBudget(), heap / 8));
        this.replyBudget = bytes(limits.replyBudget(), heap / 4);
        this.replySize = Math.min(replyBudget / 4, bytes(limits.replySize(), heap / 16));
        this.connectionSize = limits.connectionSize().asLongValue();
        this.configMemo = Math.max(256 * 1024, heap / 32);
        this.maxConcurrentCalls = limits.maxConcurrentCalls();
        this.maxPipelined = limits.maxPipelined();
        this.maxConnecting = limits.maxConnecting();
        this.bodyIdleTimeoutMs = limits.bodyIdleTimeout().toMillis();
        this.bodyTimeoutMs = limits.bodyTimeout().toMillis();
    }

    private static long bytes(java.util.Optional<MemorySize> configured, long derived) {
        return configured.map(MemorySize::asLongValue).orElse(derived);
    }

    /** The largest request body ({@code quarkus.http.limits.max-body-size}). */
    public long maxBody() {
        return maxBody;
    }

    public long bodyBudget() {
        return bodyBudget;
    }

    public long replySize() {
        return replySize;
    }

    public long replyBudget() {
        return replyBudget;
    }

    /** The largest {@code connection} object of an event, in bytes of JSON text. */
    public long connectionSize() {
        return connectionSize;
    }

    /** Heap the memo of decoded configs may hold (heap / 32, at least 256 KiB). */
    public long configMemo() {
        return configMemo;
    }

    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** Unanswered requests one HTTP/1.1 connection may have. */
    public int maxPipelined() {
        return maxPipelined;
    }

    /** Connects to Redis servers in progress at once, all configs together. */
    public int maxConnecting() {
        return maxConnecting;
    }

    /** Requests queued behind the ones being answered, all connections together (4 × max-concurrent-calls). */
    public int maxQueuedRequests() {
        return 4 * maxConcurrentCalls;
    }

    public long bodyIdleTimeoutMs() {
        return bodyIdleTimeoutMs;
    }

    public long bodyTimeoutMs() {
        return bodyTimeoutMs;
    }
}
