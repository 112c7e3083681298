package dev.redisfn.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.testsupport.AnsweringServer;
import dev.redisfn.testsupport.DeployedFunction;
import dev.redisfn.testsupport.DroppingListener;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.Waits;

/**
 * The packaged function started exactly as function.yaml deploys it (its heap, direct memory,
 * collector, ExitOnOutOfMemoryError, MALLOC_ARENA_MAX and limits, see {@link DeployedFunction}),
 * against a real redis-server, probed with what once ended such a process: huge replies, many
 * concurrent bodies, JSON whose tree outgrows its text (sent, and stored), half-sent and dribbled bodies, odd CloudEvents, trailing bytes, scripts that
 * escape the command policy, NAT64 forms of denied addresses, a run of large connection configs and
 * a flood of unfinished headers. After each probe the process is
 * alive, answers a PING, and a value stored before every probe is still there.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DeployedLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEPT = "limits:kept";
    private static final String KEPT_VALUE = "stored before every probe";

    private static RedisProcess redis;
    private static DeployedFunction function;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start("deployed-limits", Ports.free(), List.of());
        try (RespClient client = new RespClient(redis.port())) {
            client.call("SET", KEPT, KEPT_VALUE);
        }
        function = DeployedFunction.start();
    }

    @AfterAll
    static void stop() {
        if (function != null) {
            function.close();
            assertThat("no out-of-memory in the function's log", function.log(), not(containsString("OutOfMemoryError")));
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @AfterEach
    void stillServingAndNothingLost() throws IOException {
        assertThat("the function process is alive:\n" + function.logTail(), function.isAlive(), equalTo(true));
        JsonNode ping = answer(execute("PING", Map.of()));
        assertThat(ping.toString(), ping.path("result").asText(), equalTo("PONG"));
        JsonNode kept = answer(execute("GET", Map.of("key", KEPT)));
        assertThat(kept.path("result").asText(), equalTo(KEPT_VALUE));
    }

    @Test
    void repliesLargerThanTheLimitAreRefusedWhileReadAndNamedSo() throws IOException {
        try (RespClient client = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            for (int megabytes : List.of(10, 30, 100)) {
                client.call("SETRANGE", "limits:big:" + megabytes, Integer.toString(megabytes * 1024 * 1024 - 1), "x");
            }
            client.call("EVAL", "for i = 1, 200000 do redis.call('RPUSH', KEYS[1], i) end", "1", "limits:list");
            client.call("EVAL", "for i = 1, 1000000, 1000 do local a = {} for j = i, i + 999 do a[#a + 1] = j"
                    + " a[#a + 1] = j end redis.call('HSET', KEYS[1], unpack(a)) end", "1", "limits:hash");
            client.call("EVAL", "for i = 1, 1000000, 1000 do local a = {} for j = i, i + 999 do a[#a + 1] = j end"
                    + " redis.call('SADD', KEYS[1], unpack(a)) end", "1", "limits:set");
        }
        for (int megabytes : List.of(10, 30, 100)) {
            refusedAsTooLarge(execute("GET", Map.of("key", "limits:big:" + megabytes)), "GETRANGE");
        }
        refusedAsTooLarge(execute("LRANGE", Map.of("key", "limits:list", "start", 0, "stop", -1)), "LRANGE with a range");
        refusedAsTooLarge(execute("HGETALL", Map.of("key", "limits:hash")), "HSCAN");
        refusedAsTooLarge(execute("SMEMBERS", Map.of("key", "limits:set")), "SSCAN");
        JsonNode part = answer(execute("GETRANGE", Map.of("key", "limits:big:10", "start", 0, "end", 9)));
        assertThat("a part of the value is served", part.path("result").asText().length(), equalTo(10));
        // a write ran even though its reply is refused: the caller is told the value is gone
        HttpResponse<String> deleted = execute("GETDEL", Map.of("key", "limits:big:30"));
        refusedAsTooLarge(deleted, "GETRANGE");
        assertThat(deleted.body(), containsString("the command ran in Redis all the same"));
        assertThat(answer(execute("EXISTS", Map.of("key", "limits:big:30"))).path("result").asBoolean(), equalTo(false));
    }

    @Test
    void aBatchsRepliesCountTogether() throws IOException {
        try (RespClient client = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            client.call("SETRANGE", "limits:five", Integer.toString(5 * 1024 * 1024 - 1), "x");
            client.call("SET", "limits:one", "x".repeat(1024 * 1024)); // text: its JSON is as long as it
        }
        List<Map<String, Object>> fives = List.of(get("limits:five"), get("limits:five"), get("limits:five"));
        HttpResponse<String> three = post("/execute", Map.of("connection", connection(), "batch", fives));
        assertThat(three.statusCode(), equalTo(200));
        for (JsonNode item : answer(three).path("results")) {
            assertThat(item.toString(), item.path("error").path("code").asText(), equalTo("REPLY_TOO_LARGE"));
        }
        List<Map<String, Object>> ones = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ones.add(get("limits:one"));
        }
        JsonNode eight = answer(post("/execute", Map.of("connection", connection(), "batch", ones)));
        assertThat("the first replies fit", eight.path("results").get(0).path("ok").asBoolean(), equalTo(true));
        assertThat("eight 1 MB replies together do not", eight.path("results").get(7).path("error").path("code").asText(),
                equalTo("REPLY_TOO_LARGE"));
        // replies that take Redis longer than commandTimeoutMs to send, past the limit already: the limit is the
        // answer, not a retryable TIMEOUT that a broker would deliver again into the same limit
        // (300 MB for Redis to send on the config's shared connection: the first reply is refused well within
        // the 500 ms, even on a busy machine)
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(get("limits:five"));
        }
        Map<String, Object> quick = new HashMap<>(connection());
        quick.put("commandTimeoutMs", 500);
        assertThat(post("/execute", Map.of("connection", quick, "operation", "PING")).statusCode(), equalTo(200));
        HttpResponse<String> slow = post("/execute", Map.of("connection", quick, "batch", many));
        assertThat(slow.body(), slow.statusCode(), anyOf(equalTo(200), equalTo(422)));
        assertThat(slow.body(), not(containsString("TIMEOUT")));
    }

    @Test
    void anAnswerLargerThanTheLimitAsJsonIsRefusedInTheCallersEnvelope() throws IOException {
        try (RespClient client = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            client.call("SET", "limits:escapes", "\u0001".repeat(1_000_000)); // a 1 MB reply, 6 MB of JSON
        }
        double before = tooLargeAnswers();
        HttpResponse<String> standard = execute("GET", Map.of("key", "limits:escapes"));
        refusedAsTooLarge(standard, "GETRANGE");
        assertThat("the error names the operation", JSON.readTree(standard.body()).path("operation").asText(),
                equalTo("GET"));
        HttpResponse<String> tencent = post("/execute", Map.of("connection", connection(), "operation", "GET",
                "params", Map.of("key", "limits:escapes"), "output", "tencent"));
        assertThat(tencent.body(), tencent.statusCode(), equalTo(422));
        assertThat("the iPaaS envelope", JSON.readTree(tencent.body()).path("error").path("Code").asText(),
                equalTo("REPLY_TOO_LARGE"));
        assertThat("both counted", tooLargeAnswers(), equalTo(before + 2));
    }

    private static double tooLargeAnswers() throws IOException {
        String series = "connector_unanswered_total{code=\"REPLY_TOO_LARGE\",function=\"execute\"} ";
        return function.get("/q/metrics").body().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElse(0);
    }

    /** A stream entry over the reply limit is delivered all the same: the answer says how to get past it. */
    @Test
    void aStreamEntryOverTheReplyLimitIsRefusedWithTheWayPastIt() throws IOException {
        try (RespClient client = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            client.call("XADD", "limits:stream", "*", "blob", "b".repeat(3 * 1024 * 1024));
        }
        Map<String, Object> consume = Map.of("key", "limits:stream", "group", "g", "consumer", "c", "count", 1);
        refusedAsTooLarge(execute("STREAM.CONSUME", consume), "XPENDING");
        Map<String, Object> reclaim = new HashMap<>(consume);
        reclaim.put("claimIdleMs", 0);
        refusedAsTooLarge(execute("STREAM.CONSUME", reclaim), "XACK or XDEL");
    }

    @Test
    void concurrentLargeRepliesWithinTheLimitAreServedOrRefusedAtOnce() throws Exception {
        String text = "t".repeat(2_300_000); // under the reply limit (heap / 16, about 2.4 MiB)
        String controls = "\u0001".repeat(840_000); // its JSON is six times as long
        try (RespClient client = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            client.call("SET", "limits:near", text);
            client.call("SET", "limits:controls", controls);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (String key : List.of("limits:near", "limits:controls", "limits:near", "limits:controls")) {
                int served = getAtOnce(pool, 4, i -> key, Duration.ofSeconds(60), (asked, value) ->
                        assertThat(asked, value, equalTo(asked.equals("limits:near") ? text : controls)));
                if (key.equals("limits:near")) { // an answer of escapes, six times its reply, may not fit beside others
                    assertThat(key + ": one of four at a time at least is served", served, greaterThan(0));
                }
            }
            JsonNode alone = answer(execute("GET", Map.of("key", "limits:controls")));
            assertThat("alone it is served: the budget was all given back", alone.path("result").asText(), equalTo(controls));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Many calls whose replies arrive on one connection's event loop while the calls live on others:
     * each parsed reply waits in its caller's task queue, and stays counted there (uncounted, 64 calls
     * of 2 MB ended the process).
     */
    @Test
    void manyConcurrentLargeRepliesAreServedOrRefusedWhileTheyWaitForTheirCalls() throws Exception {
        int keys = 30;
        try (RespClient client = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            for (int i = 0; i < keys; i++) {
                client.call("SET", "limits:many:" + i, "m".repeat(2_000_000));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            for (int round = 0; round < 3; round++) {
                int served = getAtOnce(pool, 64, i -> "limits:many:" + (i % keys), Duration.ofSeconds(120),
                        (asked, value) -> assertThat(asked, value.length(), equalTo(2_000_000)));
                assertThat("round " + round + ": some are served", served, greaterThan(0));
            }
        } finally {
            pool.shutdownNow();
            try (RespClient client = new RespClient(redis.port())) {
                for (int i = 0; i < keys; i++) {
                    client.call("DEL", "limits:many:" + i);
                }
            }
        }
    }

    @Test
    void aMessageOverTheReplyLimitEndsASubscriptionAsTruncated() throws Exception {
        String channel = "limits:one-large";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RespClient publisher = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            Future<HttpResponse<String>> subscribed = subscribed(pool, publisher, channel, 10, 30_000);
            publisher.call("PUBLISH", channel, "m".repeat(3_000_000)); // the guard drops it: RESP2 marks no push
            JsonNode result = answer(subscribed.get(20, TimeUnit.SECONDS)).path("result");
            assertThat(result.toString(), result.path("truncated").asBoolean(), equalTo(true));
            assertThat(result.path("timedOut").asBoolean(), equalTo(false));
            assertThat(result.path("count").asInt(), equalTo(0));
            assertThat("no exception reached Vert.x", function.log(), not(containsString("Uncaught exception")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSubscribeGatheringLargeMessagesStopsAtTheReplyLimit() throws Exception {
        String channel = "limits:channel";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RespClient publisher = new RespClient(redis.port(), null, null, Duration.ofSeconds(60))) {
            Future<HttpResponse<String>> subscribed = subscribed(pool, publisher, channel, 60, 20_000);
            String message = "m".repeat(1_500_000);
            for (int i = 0; i < 30 && !publisher.call("PUBLISH", channel, message).equals(0L); i++) {
                // until the call stops listening, or 30 messages of 1.5 MB went out
            }
            JsonNode result = answer(subscribed.get(60, TimeUnit.SECONDS)).path("result");
            assertThat(result.toString().length(), lessThan(5 * 1024 * 1024));
            assertThat(result.path("truncated").asBoolean(), equalTo(true));
            assertThat(result.path("count").asInt(), equalTo(result.path("messages").size()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentBodiesWithinTheBodyLimitAreAdmittedOrRefusedAtOnce() throws Exception {
        String value = "v".repeat(920 * 1024);
        ExecutorService pool = Executors.newFixedThreadPool(200); // as many as function.yaml lets Knative send
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                answers.add(pool.submit(() -> execute("SET", Map.of("key", "limits:body:" + n, "value", value))));
            }
            int stored = 0;
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get(60, TimeUnit.SECONDS);
                assertThat(answer.body(), answer.statusCode(), anyOf(equalTo(200), equalTo(503)));
                if (answer.statusCode() == 503) {
                    overloaded(answer);
                } else {
                    stored++;
                    try (RespClient client = new RespClient(redis.port())) {
                        assertThat(client.call("STRLEN", "limits:body:" + i), equalTo((long) value.length()));
                    }
                }
            }
            assertThat("some of the 200 bodies were admitted", stored, greaterThan(0));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * JSON as a tree takes up to thirty times its text — a megabyte of empty objects would be some
     * thirty megabytes of heap — so the tree of a body is weighed as it is read: one that would not
     * fit the body budget even alone is 413, one that does not fit beside the others now 503.
     */
    @Test
    void bodiesWhoseJsonTreeWouldOutgrowTheHeapAreRefusedAsTheyAreRead() throws Exception {
        String event = "{\"connection\":" + JSON.writeValueAsString(connection()) + ",\"operation\":\"SET\","
                + "\"params\":{\"key\":\"limits:tree\",\"encoding\":\"json\",\"value\":[" + "{},".repeat(330_000) + "{}]}}";
        HttpResponse<String> alone = function.post("/execute", "application/json", event);
        assertThat(alone.body(), alone.statusCode(), equalTo(413));
        assertThat(alone.body(), containsString("too many values"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> function.post("/execute", "application/json", event)));
            }
            for (Future<HttpResponse<String>> each : answers) {
                HttpResponse<String> answer = each.get(60, TimeUnit.SECONDS);
                if (answer.statusCode() != 413) {
                    overloaded(answer);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (RespClient client = new RespClient(redis.port())) {
            assertThat("nothing was stored", client.call("EXISTS", "limits:tree"), equalTo(0L));
        }
        // a document of ordinary JSON within the budget is stored and read back as it was given
        List<Map<String, Object>> document = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            document.add(Map.of("id", i, "name", "user " + i, "tags", List.of("a", "b"), "score", i / 4.0));
        }
        answer(execute("SET", Map.of("key", "limits:document", "encoding", "json", "value", document)));
        JsonNode read = answer(execute("GET", Map.of("key", "limits:document", "encoding", "json"))).path("result");
        assertThat(read, equalTo(JSON.valueToTree(document)));
    }

    /**
     * A stored JSON value as large as the reply limit admits is answered as it is stored, never made
     * into a tree thirty times its size; several at once are served or refused at once.
     */
    @Test
    void largeStoredJsonIsReadWithoutATree() throws Exception {
        try (RespClient client = new RespClient(redis.port())) {
            client.call("SET", "limits:stored-json", "[" + "{},".repeat(700_000) + "{}]");
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> execute("GET", Map.of("key", "limits:stored-json", "encoding", "json"))));
            }
            int served = 0;
            for (Future<HttpResponse<String>> each : answers) {
                HttpResponse<String> answer = each.get(60, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    served++;
                    assertThat(JSON.readTree(answer.body()).path("result").size(), equalTo(700_001));
                } else {
                    overloaded(answer);
                }
            }
            assertThat("at least one of the reads was served", served, greaterThan(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void halfSentBodiesAreRefusedOrTimedOut() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket socket = new Socket("127.0.0.1", function.port());
                socket.setSoTimeout(20_000);
                send(socket, "POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000000\r\n\r\n{\"connect");
                sockets.add(socket);
            }
            long started = System.nanoTime();
            int overloaded = 0;
            for (Socket socket : sockets) {
                String status = statusLine(socket);
                assertThat(status, anyOf(startsWith("HTTP/1.1 503"), startsWith("HTTP/1.1 408")));
                overloaded += status.startsWith("HTTP/1.1 503") ? 1 : 0;
            }
            assertThat("most are refused at once, for the body budget", overloaded, greaterThan(400));
            assertThat("the admitted ones time out (body-idle-timeout)", (System.nanoTime() - started) / 1_000_000_000L,
                    lessThan(15L));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aFloodOfUnfinishedHeadersIsOutlivedAndLetGo() throws Exception {
        // 2,000 connections holding 19 KB of headers each would take more than the direct memory
        // function.yaml gives (~29 KiB each): the connection limit closes most as they come, what Netty
        // still cannot allocate fails at once (no Cleaner back-off on the event loop), and once the
        // senders go, the function answers again
        List<Socket> sockets = new ArrayList<>();
        String unfinished = "POST /execute HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + "a".repeat(19_000);
        try {
            for (int i = 0; i < 2_000; i++) {
                Socket socket = new Socket("127.0.0.1", function.port());
                sockets.add(socket);
                try {
                    send(socket, unfinished);
                } catch (IOException closedAtOnce) {
                    // over the connection limit
                }
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        Waits.until("the function to answer again", Duration.ofSeconds(30), () -> {
            try {
                return execute("PING", Map.of()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @Test
    void pipelinedFloodsAreCutOffWithTheirConnections() throws Exception {
        // requests sent ahead of their answers are queued by Vert.x with their headers: 100,000 on one
        // connection, and 5,000 on each of 20 more, would fill the heap; each such connection is closed
        String body = JSON.writeValueAsString(Map.of("connection", connection(), "operation", "PING"));
        String one = "POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        ExecutorService senders = Executors.newFixedThreadPool(21);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 21; i++) {
                Socket socket = new Socket("127.0.0.1", function.port());
                sockets.add(socket);
                byte[] burst = one.repeat(i == 0 ? 100_000 : 5_000).getBytes(StandardCharsets.US_ASCII);
                senders.submit(() -> {
                    try {
                        socket.getOutputStream().write(burst);
                    } catch (IOException cutOff) {
                        // the function closed the connection
                    }
                });
            }
            for (Socket socket : sockets) {
                assertThat("a flooding connection is closed by the function", closedByServer(socket, Duration.ofSeconds(60)),
                        equalTo(true));
            }
        } finally {
            senders.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Reads (and drops) what the server sends until it closes the connection, or the time is up. */
    private static boolean closedByServer(Socket socket, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(chunk) < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    @Test
    void dribbledBodiesAre408() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<String> announced = () -> dribble("Content-Length: 100000\r\n", "x");
            Callable<String> chunked = () -> dribble("Transfer-Encoding: chunked\r\n", "1\r\nx\r\n");
            Future<String> first = pool.submit(announced);
            Future<String> second = pool.submit(chunked);
            assertThat(first.get(60, TimeUnit.SECONDS), startsWith("HTTP/1.1 408"));
            assertThat(second.get(60, TimeUnit.SECONDS), startsWith("HTTP/1.1 408"));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends one body byte (or chunk) a second until the function answers; its status line. */
    private static String dribble(String framing, String piece) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", function.port())) {
            socket.setSoTimeout(1_000);
            send(socket, "POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing + "\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    send(socket, piece);
                } catch (IOException closed) {
                    break; // closed after its answer
                }
                try {
                    int first = in.read();
                    if (first >= 0) {
                        return (char) first + readLine(in);
                    }
                    break;
                } catch (java.net.SocketTimeoutException stillWaiting) {
                    // nothing yet: another byte
                }
            }
            socket.setSoTimeout(5_000);
            return statusLine(socket);
        }
    }

    @Test
    void oddCloudEventsAre400AndCounted() throws IOException {
        for (Map<String, Object> event : List.of(
                cloudEvent("datacontenttype", null), cloudEvent("datacontenttype", "text/plain"),
                cloudEvent("specversion", "9.9"), cloudEvent("time", "yesterday"), cloudEvent("subject", 7))) {
            HttpResponse<String> answer = function.post("/", "application/cloudevents+json", JSON.writeValueAsString(event));
            assertThat(answer.body(), answer.statusCode(), equalTo(400));
            assertThat(answer.body(), containsString("INVALID_REQUEST"));
        }
        Map<String, Object> missing = cloudEvent("datacontenttype", "application/json");
        missing.remove("source");
        assertThat(function.post("/", "application/cloudevents+json", JSON.writeValueAsString(missing)).statusCode(),
                equalTo(400));
        String metrics = function.get("/q/metrics").body();
        assertThat(metrics, containsString("connector_rejected_total{code=\"INVALID_REQUEST\""));
    }

    @Test
    void contentAfterTheJsonIs400() throws IOException {
        String event = JSON.writeValueAsString(Map.of("connection", connection(), "operation", "PING"));
        HttpResponse<String> answer = function.post("/execute", "application/json", event + "garbage");
        assertThat(answer.statusCode(), equalTo(400));
        assertThat(answer.body(), containsString("INVALID_REQUEST"));
        String structured = JSON.writeValueAsString(cloudEvent("datacontenttype", "application/json"));
        HttpResponse<String> cloudEvent = function.post("/", "application/cloudevents+json", structured + "{\"x\":1}");
        assertThat(cloudEvent.body(), cloudEvent.statusCode(), equalTo(400));
        assertThat(cloudEvent.body(), containsString("INVALID_REQUEST"));
    }

    /**
     * HTTP/2 is off: its streams share one connection, which the front door closes after a refused
     * body, and curl's parallel h2c streams went unanswered. An upgrade request is served as HTTP/1.1.
     */
    @Test
    void anH2cUpgradeIsServedAsHttp11() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", function.port())) {
            socket.setSoTimeout(10_000);
            send(socket, "GET /operations?group=server HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
            String status = new String(socket.getInputStream().readNBytes(15), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(status, equalTo("HTTP/1.1 200 OK"));
        }
    }

    @Test
    void scriptsAndRestoreCannotGoPastTheCommandPolicy() throws IOException {
        forbidden(execute("EVAL", Map.of("script", "return redis.call('FLUSHALL')")));
        forbidden(execute("EVAL", Map.of("script", "return redis.call('MIGRATE', '169.254.169.254', 6379, KEYS[1], 0, 1000)",
                "keys", List.of(KEPT))));
        forbidden(execute("RESTORE", Map.of("key", "limits:restored", "serialized", "AAAA")));
    }

    /**
     * A server that answers a connection's first PING — read before the function has the connection —
     * with the header of an array of a billion elements: refused as not Redis, by execute and by
     * test-connection, in every mode's way of reaching it.
     */
    @Test
    void aHandshakeReplyOfABillionElementsIsRefusedAsNotRedis() throws IOException {
        try (AnsweringServer liar = AnsweringServer.answering("*999999999\r\n")) {
            String address = "127.0.0.1:" + liar.port();
            List<Map<String, Object>> connections = List.of(Map.of("host", "127.0.0.1", "port", liar.port()),
                    Map.of("host", "127.0.0.1", "port", liar.port(), "password", "pw"),
                    Map.of("mode", "sentinel", "nodes", address), Map.of("mode", "cluster", "nodes", address));
            for (Map<String, Object> connection : connections) {
                HttpResponse<String> executed = post("/execute", Map.of("connection", connection, "operation", "PING"));
                assertThat(connection + ": " + executed.body(), executed.statusCode(), equalTo(502));
                assertThat(executed.body(), containsString("speak the Redis protocol"));
                HttpResponse<String> tested = post("/test-connection", Map.of("connection", connection));
                assertThat(connection + ": " + tested.body(), tested.statusCode(), equalTo(200));
                assertThat(tested.body(), containsString("\"ok\":false"));
            }
        }
    }

    /**
     * Connects to an address that drops packets last their connectTimeoutMs, each holding its client,
     * while their calls are answered at their own deadline and the callers send more: past
     * connector.limits.max-connecting the next is refused at once (503), and the heap holds.
     */
    @Test
    void connectsThatGetNoAnswerAreBounded() throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        try (DroppingListener hole = DroppingListener.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    Map<String, Object> connection = Map.of("host", "127.0.0.1", "port", hole.port(), "clientName",
                            "hole-" + i, "connectTimeoutMs", 8000, "commandTimeoutMs", 300);
                    calls.add(pool.submit(() -> {
                        HttpResponse<String> answer = post("/execute", Map.of("connection", connection, "operation", "PING"));
                        statuses.merge(answer.statusCode(), 1, Integer::sum);
                        if (answer.statusCode() == 503) {
                            refusals.add(answer.body());
                        }
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(statuses.toString(), statuses.keySet().stream().allMatch(status -> status == 503 || status == 504),
                equalTo(true));
        assertThat("connects past the limit are refused: " + statuses, refusals.isEmpty(), equalTo(false));
        assertThat(refusals.get(0), containsString("connector.limits.max-connecting"));
        Waits.until("the connects to end and give their places back", Duration.ofSeconds(60), () -> {
            Map<String, Object> fresh = new HashMap<>(connection());
            fresh.put("clientName", "after-the-hole-" + System.nanoTime());
            try {
                return post("/execute", Map.of("connection", fresh, "operation", "PING")).statusCode() == 200;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void nat64FormsOfDeniedAddressesAreRefused() throws IOException {
        for (String host : List.of("64:ff9b::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::")) {
            HttpResponse<String> answer = post("/execute", Map.of("connection", Map.of("host", host, "port", Ports.free()),
                    "operation", "PING"));
            assertThat(host + ": " + answer.body(), answer.statusCode(), equalTo(403));
            assertThat(answer.body(), containsString("TARGET_NOT_ALLOWED"));
        }
    }

    @Test
    void connectionConfigsAreBoundedInSizeAndTheirMemoInBytes() throws IOException {
        String ping = ", \"operation\": \"PING\"}";
        String config = JSON.writeValueAsString(connection());
        for (int i = 0; i < 48; i++) { // each one new: 48 of them would be more than the heap if all were kept
            String padded = config.replaceFirst("\\{", "{" + " ".repeat(1_000_000 + i));
            HttpResponse<String> answer = function.post("/execute", "application/json",
                    "{\"connection\": " + padded + ping);
            assertThat(answer.body(), answer.statusCode(), equalTo(413));
            assertThat(answer.body(), containsString("connector.limits.connection-size"));
        }
        for (int i = 0; i < 400; i++) { // under the limit, each new to the memo, one client for them all
            String padded = config.replaceFirst("\\{", "{" + " ".repeat(15_000 + i));
            HttpResponse<String> answer = function.post("/execute", "application/json",
                    "{\"connection\": " + padded + ping);
            assertThat(answer.body(), answer(answer).path("result").asText(), equalTo("PONG"));
        }
    }

    // --- helpers ---

    /** A SUBSCRIBE call on {@code pool}, once Redis counts its subscriber on {@code channel}. */
    private static Future<HttpResponse<String>> subscribed(ExecutorService pool, RespClient publisher, String channel,
            int maxMessages, int waitMs) {
        Future<HttpResponse<String>> call = pool.submit(() -> execute("SUBSCRIBE",
                Map.of("channel", channel, "maxMessages", maxMessages, "waitMs", waitMs)));
        Waits.until("the function subscribed", Duration.ofSeconds(30),
                () -> ((List<?>) publisher.call("PUBSUB", "NUMSUB", channel)).get(1).equals(1L));
        return call;
    }

    private static Map<String, Object> connection() {
        return Map.of("host", "127.0.0.1", "port", redis.port(), "commandTimeoutMs", 30_000);
    }

    private static Map<String, Object> get(String key) {
        return Map.of("operation", "GET", "params", Map.of("key", key));
    }

    private static HttpResponse<String> execute(String operation, Map<String, Object> params) throws IOException {
        return post("/execute", Map.of("connection", connection(), "operation", operation, "params", params));
    }

    private static HttpResponse<String> post(String path, Object body) throws IOException {
        return function.post(path, "application/json", JSON.writeValueAsString(body));
    }

    private static JsonNode answer(HttpResponse<String> response) throws IOException {
        assertThat(response.body(), response.statusCode(), equalTo(200));
        return JSON.readTree(response.body());
    }

    private static void refusedAsTooLarge(HttpResponse<String> response, String hint) throws IOException {
        assertThat(response.body(), response.statusCode(), equalTo(422));
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText(), equalTo("REPLY_TOO_LARGE"));
        assertThat(error.path("hint").asText(), containsString(hint));
    }

    /**
     * {@code calls} GETs at once, of the key {@code keyOf} names for each: every answer is served, its value
     * checked by {@code check}, or refused OVERLOADED. How many were served.
     */
    private static int getAtOnce(ExecutorService pool, int calls, IntFunction<String> keyOf, Duration wait,
            BiConsumer<String, String> check) throws Exception {
        List<String> keys = new ArrayList<>();
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String key = keyOf.apply(i);
            keys.add(key);
            answers.add(pool.submit(() -> execute("GET", Map.of("key", key))));
        }
        int served = 0;
        for (int i = 0; i < calls; i++) {
            HttpResponse<String> answer = answers.get(i).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.statusCode() == 200) {
                served++;
                check.accept(keys.get(i), JSON.readTree(answer.body()).path("result").asText());
            } else {
                overloaded(answer);
            }
        }
        return served;
    }

    private static void overloaded(HttpResponse<String> answer) {
        assertThat(answer.body(), answer.statusCode(), equalTo(503));
        assertThat(answer.body(), containsString("OVERLOADED"));
        assertThat(answer.headers().firstValue("Retry-After").orElse(""), equalTo("1"));
    }

    private static void forbidden(HttpResponse<String> response) {
        assertThat(response.body(), response.statusCode(), equalTo(403));
        assertThat(response.body(), containsString("COMMAND_NOT_ALLOWED"));
    }

    private static Map<String, Object> cloudEvent(String attribute, Object value) {
        Map<String, Object> event = new java.util.LinkedHashMap<>(Map.of("specversion", "1.0", "id", "limits-1",
                "source", "/limits", "type", "dev.redisfn.execute",
                "data", Map.of("connection", connection(), "operation", "PING")));
        event.put(attribute, value);
        return event;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String statusLine(Socket socket) throws IOException {
        return readLine(socket.getInputStream());
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
