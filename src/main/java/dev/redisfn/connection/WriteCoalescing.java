package dev.redisfn.connection;

import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;

/**
 * Lets many commands sent in one event-loop turn leave in one socket write. Vert.x flushes every
 * command on its own; with hundreds of concurrent calls per second on a shared connection that
 * is one system call per command. {@link TurnFlush} on the connection's pipeline merges the
 * flushes of one turn, except for a command sent while its client runs no other call: that one
 * has nothing to merge with and leaves at once. Best effort: if the Vert.x internals it reaches
 * for are not there, the connection simply works unmerged.
 */
final class WriteCoalescing {

    private static final Logger LOG = Logger.getLogger(WriteCoalescing.class);
    private static final Field NET_SOCKET = netSocketField();

    private WriteCoalescing() {
    }

    /** @param alone whether the call now sending is the only one running on the connection's client */
    static void install(RedisConnection connection, BooleanSupplier alone) {
        if (NET_SOCKET == null || !(connection instanceof PooledRedisConnection pooled)) {
            return;
        }
        try {
            if (NET_SOCKET.get(pooled.actual()) instanceof NetSocketInternal socket) {
                ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
                if (pipeline.get(TurnFlush.class) == null) {
                    pipeline.addFirst(new TurnFlush(alone));
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

    /**
     * Holds the flushes of one event-loop turn and sends them as one write when the turn's tasks run
     * (as Netty's {@code FlushConsolidationHandler} does), unless nothing is held and the sending
     * call is alone on its client: a lone call (one connection, light load) does not wait for the
     * rest of the turn, and Redis starts on it while this thread finishes the HTTP side. Held writes
     * also leave when {@value #MAX_HELD} are held, when the channel stops being writable and before
     * it closes.
     */
    static final class TurnFlush extends ChannelDuplexHandler {

        static final int MAX_HELD = 256;

        private final BooleanSupplier alone;
        private final Runnable endOfTurn = this::flushHeld;
        private ChannelHandlerContext context;
        private int held;

        TurnFlush(BooleanSupplier alone) {
            this.alone = alone;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (held == 0 && alone.getAsBoolean()) {
                ctx.flush();
            } else if (held++ == 0) {
                ctx.channel().eventLoop().execute(endOfTurn);
            } else if (held == MAX_HELD) {
                flushHeld();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!ctx.channel().isWritable()) {
                flushHeld();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            flushHeld();
            ctx.close(promise);
        }

        @Override
        public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
            flushHeld();
            ctx.disconnect(promise);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            flushHeld();
        }

        private void flushHeld() {
            if (held > 0) {
                held = 0;
                context.flush();
            }
        }
    }
}
