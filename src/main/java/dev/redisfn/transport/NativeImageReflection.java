package dev.redisfn.transport;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for the reflection of this package: the socket field of the
 * Vert.x Redis connection, which {@link RedisSockets} reads to put the reply guard and the
 * write merging on a connection, and the constructor of Vert.x' RESP parser, which it calls to
 * renew a connection's parser after a large reply. (The JSON model registers its own records where
 * they are declared.)
 */
@RegisterForReflection(classNames = { RedisSockets.STANDALONE_CONNECTION, RedisSockets.RESP_PARSER }, fields = true,
        methods = true)
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
