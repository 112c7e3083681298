package dev.redisfn.transport;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Bounds HTTP/1.1 pipelining. Vert.x reads every request a client sends ahead of the answers and
 * queues it, with its headers and context, until the answers before it are written: without a bound,
 * one connection's burst of small requests fills the heap. A connection whose client waits for
 * {@code readAhead} answers is not read further until one is written (TCP holds the rest); one read
 * can still carry many requests, so a connection with more than {@code perConnection} unanswered
 * requests, or one that would take the queued requests of all connections past {@code
 * allConnections}, is closed. Vert.x' handler in the pipeline is named {@code "handler"}, and its
 * HTTP/1 connection is a {@link ConnectionBase}: both pinned by {@code HttpPipeliningTest}.
 */
public final class HttpPipelining {

    static final String VERTX_HANDLER = "handler";
    static final String NAME = "pipelining-limit";
    private static final AttributeKey<Boolean> LIMITED = AttributeKey.valueOf(HttpPipelining.class, NAME);

    private final int readAhead;
    private final int perConnection;
    private final int allConnections;
    /** Requests read on every connection and queued behind the one being answered there. */
    private final AtomicInteger queued = new AtomicInteger();

    public HttpPipelining(int readAhead, int perConnection, int allConnections) {
        this.readAhead = readAhead;
        this.perConnection = perConnection;
        this.allConnections = allConnections;
    }

    /**
     * Puts the limit on the connection of a request being served (on its event loop), once: the
     * request being served is its first unanswered one.
     */
    public void limit(HttpConnection connection) {
        Channel channel = ((ConnectionBase) connection).channel();
        if (channel.hasAttr(LIMITED)) { // every request after a connection's first: an array look-up, no pipeline walk
            return;
        }
        channel.attr(LIMITED).set(Boolean.TRUE);
        ChannelPipeline pipeline = channel.pipeline();
        // a request Vert.x hands on after its connection closed (and its pipeline emptied) needs none
        if (pipeline.get(VERTX_HANDLER) != null) {
            pipeline.addBefore(VERTX_HANDLER, NAME, new Limit());
        }
    }

    /** Requests queued behind the ones being answered, all connections together. */
    public int queued() {
        return queued.get();
    }

    /** One connection's count of requests read and not yet answered. */
    final class Limit extends ChannelDuplexHandler {
        private int unanswered = 1;
        private int counted;
        private boolean readHeld;
        private boolean refused;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest) {
                unanswered++;
                if (unanswered > perConnection || queued.get() + 1 > allConnections) {
                    refused = true;
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                    return;
                }
                recount();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (unanswered >= readAhead) {
                readHeld = true; // read again once an answer is written
                return;
            }
            ctx.read();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean answerEnds = msg instanceof LastHttpContent
                    && !(msg instanceof HttpResponse response && response.status().equals(HttpResponseStatus.CONTINUE));
            ctx.write(msg, promise);
            if (answerEnds && unanswered > 0) {
                unanswered--;
                recount();
                if (readHeld && unanswered < readAhead) {
                    readHeld = false;
                    if (ctx.channel().config().isAutoRead()) { // else Vert.x paused the connection, and resumes it
                        ctx.read();
                    }
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            queued.addAndGet(-counted);
            counted = 0;
            ctx.fireChannelInactive();
        }

        /**
         * Keeps the shared count at this connection's requests behind the one being answered; a call
         * that is not pipelined changes nothing and leaves the counter, which every event loop shares, alone.
         */
        private void recount() {
            int now = refused ? 0 : Math.max(0, unanswered - 1);
            if (now != counted) {
                queued.addAndGet(now - counted);
                counted = now;
            }
        }
    }
}
