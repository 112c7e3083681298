package dev.redisfn.connection;

import java.lang.reflect.Field;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;

/**
 * Lets many commands sent in one event-loop turn leave in one socket write. Vert.x flushes every
 * command on its own; with hundreds of concurrent calls per second on a shared connection that
 * is one system call per command. Netty's {@link FlushConsolidationHandler} on the connection's
 * pipeline merges the flushes of one turn. Best effort: if the Vert.x internals it reaches for
 * are not there, the connection simply works unmerged.
 */
final class WriteCoalescing {

    private static final Logger LOG = Logger.getLogger(WriteCoalescing.class);
    private static final Field NET_SOCKET = netSocketField();

    private WriteCoalescing() {
    }

    static void install(RedisConnection connection) {
        if (NET_SOCKET == null || !(connection instanceof PooledRedisConnection pooled)) {
            return;
        }
        try {
            if (NET_SOCKET.get(pooled.actual()) instanceof NetSocketInternal socket) {
                ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
                if (pipeline.get(FlushConsolidationHandler.class) == null) {
                    pipeline.addFirst(new FlushConsolidationHandler(256, true));
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.debugf("write coalescing not installed: %s", e.toString());
        }
    }

    private static Field netSocketField() {
        try {
            Field field = Class.forName("io.vertx.redis.client.impl.RedisStandaloneConnection").getDeclaredField("netSocket");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
