package dev.redisfn.transport;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for the reflection of this package: the socket field of the
 * Vert.x Redis connection, which {@link RedisSockets} reads to put the reply guard and the
 * write merging on a connection, and the constructor of Vert.x' RESP parser, which it calls to
 * renew a connection's parser after a large reply, and the TCP client field of a Redis client's pool,
 * which it replaces with a {@link GuardedNetClient} (a final field: {@code
 * META-INF/native-image/dev.redisfn/reflect-config.json} allows the write). (The JSON model registers
 * its own records where they are declared.)
 */
@RegisterForReflection(classNames = { RedisSockets.STANDALONE_CONNECTION, RedisSockets.RESP_PARSER,
        RedisSockets.BASE_CLIENT, RedisSockets.CONNECTION_MANAGER_CLASS }, fields = true, methods = true)
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
