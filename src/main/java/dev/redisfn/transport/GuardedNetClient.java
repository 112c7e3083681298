package dev.redisfn.transport;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.impl.CloseFuture;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.NetClientImpl;

/**
 * The TCP client under every Vert.x Redis client the function makes ({@link RedisSockets#client}
 * puts it there). Vert.x reads a connection's first reply — to the PING of its handshake — before
 * the function gets the connection, and its parser allocates an array for an {@code *N} header at
 * once: a server answering {@code *999999999} would end the process. So a reply guard for the
 * handshake ({@link ReplyGuard#forHandshake}) is in the pipeline before Vert.x' handler, from the
 * first byte; the function's own guard replaces it once the connection is handed over. And the
 * connects in progress, all clients together, are bounded ({@link ConnectLimit}): one to an address
 * that drops packets lasts its connectTimeoutMs, holding its client's memory all along, and the calls
 * that wait for it may have been answered long before.
 * <p>
 * Vert.x calls {@code initChannel} after a connect succeeds and before it adds its handler, and the
 * Redis client connects through {@code connect(ContextInternal, SocketAddress, String)}: both pinned by
 * {@code RedisSocketsTest}.
 */
final class GuardedNetClient extends NetClientImpl {

    private final ConnectLimit connecting;
    private final ReplyBudget budget;

    private GuardedNetClient(VertxInternal vertx, NetClientOptions options, CloseFuture closeFuture,
            ConnectLimit connecting, ReplyBudget budget) {
        super(vertx, null, options, closeFuture);
        this.connecting = connecting;
        this.budget = budget;
    }

    /** A client whose {@code close()} closes its connections: its close future closes it, as Vert.x' builder has it. */
    static GuardedNetClient create(VertxInternal vertx, NetClientOptions options, ConnectLimit connecting,
            ReplyBudget budget) {
        CloseFuture closeFuture = new CloseFuture();
        GuardedNetClient client = new GuardedNetClient(vertx, options, closeFuture, connecting, budget);
        closeFuture.add(client);
        return client;
    }

    @Override
    protected void initChannel(ChannelPipeline pipeline) {
        super.initChannel(pipeline);
        pipeline.addLast(RedisSockets.GUARD, ReplyGuard.forHandshake(budget));
    }

    @Override
    public Future<NetSocket> connect(ContextInternal context, SocketAddress remote, String serverName) {
        if (!connecting.tryAcquire()) {
            return context.failedFuture(connecting.refusal());
        }
        Future<NetSocket> socket = super.connect(context, remote, serverName);
        socket.onComplete(done -> connecting.release());
        return socket;
    }
}
