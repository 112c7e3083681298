package dev.redisfn;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection beyond the JSON model (whose records in
 * {@code result/} and {@code OperationsQuery} carry {@code @RegisterForReflection} themselves, and
 * whose other types are Jackson trees, maps and JDK values): the socket field of the Vert.x Redis
 * connection that {@code connection.WriteCoalescing} reads to merge the writes of one event-loop
 * turn. Without it the native function still works, one write per command.
 */
@RegisterForReflection(classNames = "io.vertx.redis.client.impl.RedisStandaloneConnection", fields = true,
        methods = false)
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
