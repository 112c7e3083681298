package dev.redisfn.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.Waits;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * HTTP/1.1 pipelining is bounded per connection and over all connections, and the limit sits where
 * it must in a real Vert.x HTTP server (its handler named {@code "handler"}, its connection a
 * {@code ConnectionBase}): a burst of pipelined requests closes its connection, the server serves on.
 */
class HttpPipeliningTest {

    private static FullHttpRequest request() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/execute", Unpooled.buffer(0));
    }

    private static EmbeddedChannel connection(HttpPipelining pipelining) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(HttpPipelining.VERTX_HANDLER, new io.netty.channel.ChannelInboundHandlerAdapter());
        channel.pipeline().addBefore(HttpPipelining.VERTX_HANDLER, HttpPipelining.NAME, pipelining.new Limit());
        return channel;
    }

    private static void send(EmbeddedChannel channel, int requests) {
        for (int i = 0; i < requests; i++) {
            channel.writeInbound(request());
        }
    }

    @Test
    void requestsAheadOfTheirAnswersAreCountedUntilAnswered() {
        HttpPipelining pipelining = new HttpPipelining(4, 6, 100);
        EmbeddedChannel channel = connection(pipelining);
        send(channel, 3);
        assertEquals(3, pipelining.queued(), "three behind the one being answered");
        // a 100 Continue is no answer; the end of a response is
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertEquals(3, pipelining.queued());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertEquals(1, pipelining.queued());
        channel.close();
        assertEquals(0, pipelining.queued(), "a closed connection gives its count back");
    }

    @Test
    void aConnectionPastItsLimitIsClosedAndItsFurtherRequestsDropped() {
        HttpPipelining pipelining = new HttpPipelining(4, 6, 100);
        EmbeddedChannel channel = connection(pipelining);
        send(channel, 5);
        assertTrue(channel.isOpen(), "six unanswered: at the limit");
        FullHttpRequest over = request();
        channel.writeInbound(over);
        assertFalse(channel.isOpen(), "a seventh closes the connection");
        assertEquals(0, over.refCnt(), "and is released, not queued");
        assertEquals(0, pipelining.queued());
    }

    @Test
    void allConnectionsTogetherQueueNoMoreThanTheirLimit() {
        HttpPipelining pipelining = new HttpPipelining(4, 100, 5);
        EmbeddedChannel first = connection(pipelining);
        send(first, 4);
        EmbeddedChannel second = connection(pipelining);
        second.writeInbound(request());
        assertEquals(5, pipelining.queued());
        second.writeInbound(request());
        assertFalse(second.isOpen(), "the one that would pass the shared limit is closed");
        assertTrue(first.isOpen());
        assertEquals(4, pipelining.queued());
        first.close();
    }

    @Test
    void aPipelinedBurstClosesItsConnectionOnARealVertxServerWhichServesOn() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpPipelining pipelining = new HttpPipelining(4, 16, 1000);
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                pipelining.limit(request.connection());
                vertx.setTimer(1, ignored -> request.response().end("ok"));
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String one = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";
            assertEquals(3, answers(server.actualPort(), one, 3), "a few pipelined requests are all answered");
            int burst = answers(server.actualPort(), one, 10_000);
            assertTrue(burst < 10_000, "a burst is cut off with its connection, answered: " + burst);
            assertEquals(1, answers(server.actualPort(), one, 1), "and the server serves the next connection");
            Waits.until("the closed connections' queued requests to be given back", Duration.ofSeconds(10),
                    () -> pipelining.queued() == 0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends {@code count} pipelined requests on a fresh connection and counts the answers, until all
     * have come or the server closed the connection.
     */
    private static int answers(int port, String request, int count) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.repeat(count).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder read = new StringBuilder();
            byte[] chunk = new byte[8192];
            int answered = 0;
            try {
                for (int n; answered < count && (n = in.read(chunk)) > 0;) {
                    read.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
                    answered = read.toString().split("HTTP/1.1 200", -1).length - 1;
                }
            } catch (IOException reset) {
                // a connection closed with requests unread is reset: what arrived before counts
            }
            return answered;
        }
    }
}
