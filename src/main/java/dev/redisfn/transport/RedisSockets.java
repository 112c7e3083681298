package dev.redisfn.transport;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.impl.PooledRedisConnection;

/**
 * Reaches the Netty pipeline under a Vert.x Redis connection, which the Redis client does not
 * expose, to add two handlers: the {@link ReplyGuard} on every connection (a reply too large for
 * the heap never reaches Vert.x's parser) and the {@link TurnFlush} on shared connections (the
 * commands of one event-loop turn leave in one write). The assumptions it makes about Vert.x's
 * internals — the pooled wrapper, the {@code netSocket} field, the name of Vert.x's handler — are
 * pinned by {@code RedisSocketsTest}, so an upgrade that moves them fails loudly there.
 */
public final class RedisSockets {

    private static final Logger LOG = Logger.getLogger(RedisSockets.class);
    /** Vert.x' own handler in a NetSocket's pipeline, which feeds the bytes to the RESP parser. */
    static final String VERTX_HANDLER = "handler";
    static final String GUARD = "reply-guard";
    /** The connection class under the pooled wrapper, which holds the socket; registered for the native image. */
    static final String STANDALONE_CONNECTION = "io.vertx.redis.client.impl.RedisStandaloneConnection";
    /** Vert.x' RESP parser, the socket's handler, made with a package-private constructor (handler, nesting). */
    static final String RESP_PARSER = "io.vertx.redis.client.impl.RESPParser";
    static final Field NET_SOCKET = standaloneField("netSocket");
    /** Set by Vert.x when a pooled connection sends AUTH or SELECT: it is then closed, not reused, once handed back. */
    static final Field TAINTED = standaloneField("tainted");
    /** The pool of a Redis client (in its base class), and the TCP client it connects with, replaced once. */
    static final String BASE_CLIENT = "io.vertx.redis.client.impl.BaseRedisClient";
    static final String CONNECTION_MANAGER_CLASS = "io.vertx.redis.client.impl.RedisConnectionManager";
    static final Field CONNECTION_MANAGER = field(BASE_CLIENT, "connectionManager");
    static final Field NET_CLIENT = field(CONNECTION_MANAGER_CLASS, "netClient");
    static final Constructor<?> NEW_PARSER = parserConstructor();
    /** The nesting limit Vert.x gives each connection's parser with the options the function uses. */
    static final int MAX_NESTING = new RedisOptions().getMaxNestedArrays();

    private RedisSockets() {
    }

    /**
     * Puts a reply guard on the connection, once; a connection the guard cannot be put on (the
     * internals moved) is refused rather than used without it.
     */
    public static void guard(RedisConnection connection, long maxReplySize, ReplyBudget budget) {
        NetSocketInternal socket = socket(connection);
        if (socket == null || NEW_PARSER == null) {
            throw new IllegalStateException("cannot reach the socket of a Vert.x Redis connection to guard its replies");
        }
        Object handler = ((PooledRedisConnection) connection).actual();
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        synchronized (pipeline) {
            ChannelHandler present = pipeline.get(GUARD);
            if (present == null || present instanceof ReplyGuard handshake && handshake.isHandshake()) {
                ReplyGuard guard = new ReplyGuard(maxReplySize, budget, () -> renewParser(socket, handler));
                if (present == null) {
                    pipeline.addBefore(VERTX_HANDLER, GUARD, guard);
                } else { // the handshake is over, and nothing is in flight before the connection's first use
                    guard.after((ReplyGuard) present);
                    pipeline.replace(GUARD, GUARD, guard);
                }
            }
        }
    }

    /**
     * A Vert.x Redis client whose connections are guarded from their first byte and whose connects
     * count against {@code connecting} ({@link GuardedNetClient}, put in place of the TCP client the
     * Redis client made); a client whose TCP client cannot be replaced (the internals moved) is
     * refused rather than used without the guard.
     */
    public static Redis client(Vertx vertx, RedisOptions options, ConnectLimit connecting, ReplyBudget budget) {
        Redis client = Redis.createClient(vertx, options);
        try {
            Object manager = CONNECTION_MANAGER.get(client);
            NetClient original = (NetClient) NET_CLIENT.get(manager);
            NET_CLIENT.set(manager, GuardedNetClient.create((VertxInternal) vertx, options.getNetClientOptions(),
                    connecting, budget));
            original.close();
            return client;
        } catch (ReflectiveOperationException | RuntimeException e) {
            client.close();
            throw new IllegalStateException("cannot guard the connections of a Vert.x Redis client", e);
        }
    }

    /**
     * Gives the socket a fresh RESP parser. Vert.x' parser keeps the last bytes it was handed and
     * appends the next ones to them (it takes a new buffer only when its mark, the start of the last
     * reply, is at the end), so after a large reply each later read would copy it along and grow a
     * buffer of twice its size. The guard hands the parser whole replies only, so between two reads
     * a parser holds nothing a new one would miss.
     */
    @SuppressWarnings("unchecked")
    static void renewParser(NetSocketInternal socket, Object parserHandler) {
        try {
            socket.handler((Handler<Buffer>) NEW_PARSER.newInstance(parserHandler, MAX_NESTING));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("could not renew a Redis connection's parser: %s", e.toString());
        }
    }

    /**
     * Closes the connection's socket at once, not handing it back to its pool: a blocking command on
     * it is cut off, and Redis takes nothing for it. Without access to the socket, the connection is
     * closed the public way (handed back once its command ends).
     */
    public static void abort(RedisConnection connection) {
        NetSocketInternal socket = socket(connection);
        if (socket != null) {
            socket.close();
        } else {
            connection.close();
        }
    }

    /** Whether the server ever answered on a guarded connection: a refusal on it is not a TLS mismatch. */
    public static boolean answered(RedisConnection connection) {
        ChannelPipeline pipeline = pipeline(connection);
        return pipeline != null && pipeline.get(GUARD) instanceof ReplyGuard guard && guard.answered();
    }

    /**
     * Merges the writes of one event-loop turn on a shared connection. Best effort: without it the
     * connection works, one write per command.
     *
     * @param alone whether the call now sending is the only one running on the connection's client
     */
    public static void coalesceWrites(RedisConnection connection, BooleanSupplier alone) {
        ChannelPipeline pipeline = pipeline(connection);
        if (pipeline == null) {
            return;
        }
        synchronized (pipeline) {
            if (pipeline.get(TurnFlush.class) == null) {
                pipeline.addFirst(new TurnFlush(alone));
            }
        }
    }

    /**
     * Lets the pool reuse a connection that was sent AUTH (and SELECT) by the function itself, right
     * after it was opened: Vert.x marks such a connection so that it is closed rather than handed to
     * a caller expecting a fresh one, but the function's AUTH and SELECT give it exactly the state
     * every connection of its client gets. Best effort: without it, each lease opens a connection.
     */
    public static void prepared(RedisConnection connection) {
        if (TAINTED == null || !(connection instanceof PooledRedisConnection pooled)) {
            return;
        }
        try {
            TAINTED.setBoolean(pooled.actual(), false);
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.debugf("could not keep a prepared Redis connection reusable: %s", e.toString());
        }
    }

    /** The connection's Netty pipeline, or null when the internals are not as expected. */
    static ChannelPipeline pipeline(RedisConnection connection) {
        NetSocketInternal socket = socket(connection);
        return socket == null ? null : socket.channelHandlerContext().pipeline();
    }

    /** The connection's socket, or null when the internals are not as expected. */
    static NetSocketInternal socket(RedisConnection connection) {
        if (NET_SOCKET == null || !(connection instanceof PooledRedisConnection pooled)) {
            return null;
        }
        try {
            return NET_SOCKET.get(pooled.actual()) instanceof NetSocketInternal socket ? socket : null;
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.debugf("no access to a Redis connection's socket: %s", e.toString());
            return null;
        }
    }

    private static Constructor<?> parserConstructor() {
        try {
            Class<?> parserHandler = Class.forName("io.vertx.redis.client.impl.ParserHandler");
            Constructor<?> constructor = Class.forName(RESP_PARSER).getDeclaredConstructor(parserHandler, int.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field standaloneField(String name) {
        return field(STANDALONE_CONNECTION, name);
    }

    private static Field field(String className, String name) {
        try {
            Field field = Class.forName(className).getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
