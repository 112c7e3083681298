package dev.redisfn.command;

import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.connection.Route;
import dev.redisfn.connection.Slots;
import dev.redisfn.connection.Target;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * What flows otherwise hand-roll from several steps, as one atomic operation each: a distributed
 * lock, a fixed-window rate limit, an idempotency check, and a bounded SUBSCRIBE that collects
 * messages for a while and returns them.
 */
public final class Helpers {

    /**
     * Takes the lock, or renews it when it already holds the caller's token (a retried call, or a long job
     * extending its lock); otherwise answers how long the holder's lock still lives.
     */
    static final String ACQUIRE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end "
            + "local held = redis.pcall('GET', KEYS[1]) if type(held) == 'table' and held.err then "
            + "return redis.error_reply('WRONGTYPE the key holds a value that is not a lock') end "
            + "if held == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return {1} end "
            + "return {0, redis.call('PTTL', KEYS[1])}";
    /** Deletes the lock only if it still holds the caller's token, so one holder never frees another's lock. */
    static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) "
            + "else return 0 end";
    /** Counts a hit in the current window and starts the window on its first hit. */
    static final String HIT = "local c = redis.pcall('INCR', KEYS[1]) if type(c) == 'table' and c.err then "
            + "return redis.error_reply('WRONGTYPE the key holds a value that is not a rate-limit counter') end "
            + "local t = redis.call('PTTL', KEYS[1]) "
            + "if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) t = tonumber(ARGV[1]) end return {c, t}";
    /** Records a key once; a repeat answers what the first call recorded. */
    static final String ONCE = "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, false} end "
            + "return {0, redis.call('GET', KEYS[1])}";

    /** Swaps the value only if it is still the one the caller read. */
    static final String COMPARE_AND_SET = "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end "
            + "if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) "
            + "else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return 1";

    public static final long MAX_WAIT_MS = 60_000;

    static final Param LOCK_TTL = Param.optional("ttlMillis", ParamType.INTEGER, "How long the lock lives unless released.")
            .withDefault(30_000L).atLeast(1);
    static final Param TOKEN = Param.optional("token", ParamType.STRING,
            "The holder's token (generated when absent); release needs the same token, and acquiring with it renews the lock.");
    static final Param LIMIT = Param.required("limit", ParamType.INTEGER, "Hits allowed per window.").atLeast(1);
    static final Param WINDOW = Param.required("windowSeconds", ParamType.INTEGER, "Window length in seconds.").atLeast(1);
    static final Param RECORD = Param.optional("value", ParamType.VALUE, "What to record for the first call.").withDefault("1");
    static final Param IDEMPOTENCY_TTL = Param.optional("ttlSeconds", ParamType.INTEGER, "How long the key is remembered.")
            .withDefault(86_400L).atLeast(1);
    static final Param EXPECTED = Param.optional("expected", ParamType.VALUE,
            "The value the key must still hold (as read before); absent or null: the key must not exist.");
    static final Param NEW_VALUE = Param.required("value", ParamType.VALUE, "The value to store when it does.");
    /** How often a JSON CAS reads a value that keeps being rewritten before it answers false. */
    static final int CAS_READS = 3;
    static final Param CAS_TTL = Param.optional("ttlMillis", ParamType.INTEGER, "Time to live of the stored value.").atLeast(1);
    static final Param CAS_TTL_MS = Param.optional("ttlMs", ParamType.INTEGER, "The same as ttlMillis.").atLeast(1);
    static final Param CHANNEL = Param.optional("channel", ParamType.STRING, "The channel to listen on (or give pattern).");
    static final Param PATTERN = Param.optional("pattern", ParamType.STRING, "A channel pattern such as news.*.");
    static final Param MAX_MESSAGES = Param.optional("maxMessages", ParamType.INTEGER,
            "Return once this many arrived (at most " + Scans.MAX_KEYS + ").")
            .withDefault(10L).between(1, Scans.MAX_KEYS);
    static final Param WAIT_MS = Param.optional("waitMs", ParamType.INTEGER,
            "Return after this long at most (added to commandTimeoutMs; at most " + MAX_WAIT_MS + ").").withDefault(1000L)
            .between(1, MAX_WAIT_MS);

    private Helpers() {
    }

    static List<Operation> operations() {
        return new Group("helper")
                .op("LOCK.ACQUIRE", "EVAL (SET NX PX, or renew)", WRITE,
                        "Take a lock, or renew it with the token that holds it: {acquired, token, ttlMillis}, or"
                                + " {acquired: false, token: null, retryAfterMillis} while another holds it.",
                        List.of(KEY, LOCK_TTL, TOKEN), Helpers::acquire, Helpers::acquired)
                .op("LOCK.RELEASE", "EVAL (compare and delete)", WRITE,
                        "Release a lock if it still holds token: {released}.", List.of(KEY, TOKEN.asRequired()),
                        a -> eval(RELEASE, a.key()).arg(a.string("token")), Helpers::released)
                .op("RATELIMIT", "EVAL (INCR + PEXPIRE)", WRITE,
                        "Count a hit in a fixed window: {allowed, count, remaining, resetMillis}.",
                        List.of(KEY, LIMIT, WINDOW), Helpers::hit, Helpers::hitResult)
                .op("IDEMPOTENCY", "EVAL (SET NX PX, GET)", WRITE,
                        "Check-and-set a request key: {firstTime, previous}; a repeat gets what the first call recorded.",
                        List.of(KEY, RECORD, IDEMPOTENCY_TTL), Helpers::once, Helpers::onceResult)
                .op("CAS", "SET NX [PX] | EVAL (compare and set)", WRITE,
                        "Compare and set: store value only if the key still holds expected (or, without expected, does not"
                                + " exist); true when it swapped, false when it did not (the value unchanged).",
                        List.of(KEY, EXPECTED, NEW_VALUE, CAS_TTL, CAS_TTL_MS), Helpers::compareAndSet, Results::bool)
                .orSteps(args -> args.encoding() == Encoding.JSON && args.has("expected"), Helpers::compareJsonAndSet)
                .runner("SUBSCRIBE", "SUBSCRIBE / PSUBSCRIBE", Access.READ,
                        "Listen on a channel or pattern and return up to maxMessages messages received within waitMs: "
                                + "{messages, count, timedOut, truncated}; truncated: the next message would have passed"
                                + " the call's reply limit, and it and later ones were not taken.",
                        List.of(CHANNEL, PATTERN, MAX_MESSAGES, WAIT_MS), Helpers::subscribe)
                .operations();
    }

    /** The longest a SUBSCRIBE call may wait, for the dispatcher's deadline. */
    static long waitOf(Args args) {
        return args.waitMillis("waitMs", MAX_WAIT_MS);
    }

    private static Request eval(String script, String key) {
        return Request.cmd(Command.EVAL).arg(script).arg(Long.toString(1)).arg(key);
    }

    /** SET NX when the key must not exist; otherwise one script compares and sets, atomically. */
    private static Request compareAndSet(Args args) {
        if (!args.has("expected")) {
            Long ttl = casTtl(args);
            Request request = Request.cmd(Command.SET).arg(args.key()).arg(args.value("value")).arg("NX");
            return ttl == null ? request : request.arg("PX").arg(Long.toString(ttl));
        }
        return swap(args, args.value("expected"));
    }

    private static Long casTtl(Args args) {
        if (args.has("ttlMillis") && args.has("ttlMs")) {
            throw args.invalid("ttlMs", "give ttlMillis or ttlMs, not both");
        }
        return args.has("ttlMs") ? args.integer("ttlMs") : args.integer("ttlMillis");
    }

    /** The script that stores the call's value if the key holds exactly {@code current}. */
    private static Request swap(Args args, Buffer current) {
        Long ttl = casTtl(args);
        return eval(COMPARE_AND_SET, args.key()).arg(current).arg(args.value("value")).arg(ttl == null ? "" : Long.toString(ttl));
    }

    /**
     * CAS of a JSON value: the key's value compares by meaning ({@code {"a": 1}}, as another writer stored
     * it, is the {@code {"a":1}} the flow read), so it is read first, and swapped by the script only if it
     * still holds exactly what was read; a value rewritten meanwhile is read again ({@value #CAS_READS}
     * reads at most, then {@code false}: it kept changing).
     */
    private static Future<JsonNode> compareJsonAndSet(Args args, Target target, ReplyAccount replies) {
        casTtl(args); // the parameters are checked before anything is sent
        args.value("value");
        return compareJsonAndSet(args, target, replies, Route.of(Slots.of(args.key()), false), CAS_READS);
    }

    private static Future<JsonNode> compareJsonAndSet(Args args, Target target, ReplyAccount replies, Route route,
            int reads) {
        return target.send(Request.cmd(Command.GET).arg(args.key()), route).compose(replies::charge).compose(current -> {
            if (!Encoding.JSON.holds(current, args.raw("expected"), "params.expected")) { // absent: false too
                return Future.succeededFuture(Results.JSON.booleanNode(false));
            }
            return target.send(swap(args, current.toBuffer()), route).compose(replies::charge).compose(swapped ->
                    swapped.toLong() == 1 || reads <= 1 ? Future.succeededFuture(Results.JSON.booleanNode(swapped.toLong() == 1))
                            : compareJsonAndSet(args, target, replies, route, reads - 1));
        });
    }

    private static Request acquire(Args args) {
        long ttl = args.integer("ttlMillis");
        String token = args.defaultTo("token", UUID.randomUUID().toString());
        return eval(ACQUIRE, args.key()).arg(token).arg(Long.toString(ttl));
    }

    /** The holder's remaining time is null when its key has no expiry (written by something other than LOCK.ACQUIRE). */
    private static JsonNode acquired(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        if (reply.get(0).toLong() == 1) {
            return result.put("acquired", true).put("token", args.string("token")).put("ttlMillis", args.integer("ttlMillis"));
        }
        long remaining = reply.get(1).toLong();
        result.put("acquired", false).putNull("token");
        return remaining < 0 ? result.putNull("retryAfterMillis") : result.put("retryAfterMillis", remaining);
    }

    private static JsonNode released(Response reply, Args args) {
        return Results.JSON.objectNode().put("released", reply != null && reply.toLong() == 1);
    }

    private static Request hit(Args args) {
        args.integer("limit"); // checked before anything is sent; the result reads it again
        long window = args.integer("windowSeconds");
        return eval(HIT, args.key()).arg(Long.toString(window * 1000));
    }

    private static JsonNode hitResult(Response reply, Args args) {
        long count = reply.get(0).toLong();
        long limit = args.integer("limit");
        ObjectNode result = Results.JSON.objectNode();
        result.put("allowed", count <= limit);
        result.put("count", count);
        result.put("remaining", Math.max(0, limit - count));
        result.put("resetMillis", reply.get(1).toLong());
        return result;
    }

    private static Request once(Args args) {
        long ttl = args.integer("ttlSeconds");
        Request request = eval(ONCE, args.key());
        if (args.has("value")) {
            request.arg(args.value("value"));
        } else {
            request.arg("1");
        }
        return request.arg(Long.toString(ttl * 1000));
    }

    private static JsonNode onceResult(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        boolean first = reply.get(0).toLong() == 1;
        result.put("firstTime", first);
        result.set("previous", first ? Results.JSON.nullNode() : Results.value(reply.get(1), args));
        return result;
    }

    /** Why a SUBSCRIBE call stopped listening. */
    private enum Ended {
        /** maxMessages arrived. */
        FULL,
        /** waitMs passed. */
        TIMED_OUT,
        /** The next message would not fit the call's replies (connector.limits.reply-size or the reply budget). */
        NO_ROOM
    }

    private static Future<JsonNode> subscribe(Args args, Target target, ReplyAccount replies) {
        boolean byPattern = args.has("pattern");
        if (byPattern == args.has("channel")) {
            throw args.invalid("channel", "give either channel or pattern");
        }
        long max = args.integer("maxMessages");
        long waitMs = args.integer("waitMs");
        String topic = byPattern ? args.string("pattern") : args.string("channel");
        replies.awaitConnection();
        return target.dedicated(Route.MASTER).compose(conn -> {
            List<JsonNode> messages = new ArrayList<>();
            Promise<Ended> ended = Promise.promise();
            // a caller gone meanwhile ends the subscription, and the call with it
            return replies.onOwnConnection("SUBSCRIBE", conn, () -> ended.tryFail(ReplyAccount.cutOff("SUBSCRIBE")), () -> {
                conn.handler(push -> collect(push, args, messages, max, ended, replies));
                Request request = Request.cmd(byPattern ? Command.PSUBSCRIBE : Command.SUBSCRIBE).arg(topic);
                // the wait starts once the subscription is confirmed; a timer of the connection's own Vert.x ends it
                return conn.send(request).compose(subscribed -> {
                    // answered on the connection's context, whose Vert.x times the wait
                    Vertx vertx = Vertx.currentContext().owner();
                    long timer = vertx.setTimer(waitMs, ignored -> ended.tryComplete(Ended.TIMED_OUT));
                    return ended.future().andThen(done -> vertx.cancelTimer(timer));
                }).map(why -> messagesResult(messages, why));
            }).eventually(() -> conn.close());
        });
    }

    private static void collect(Response push, Args args, List<JsonNode> messages, long max, Promise<Ended> ended,
            ReplyAccount replies) {
        if (push == null || ended.future().isComplete()) {
            return;
        }
        if (push.type() == ResponseType.ERROR) {
            // the reply guard dropped a message it could not hold (RESP2 gives a message no mark of a push,
            // so an error line stands in its place): it and what follows are dropped, as for no room
            ended.tryComplete(Ended.NO_ROOM);
            return;
        }
        if (push.type() != ResponseType.MULTI && push.type() != ResponseType.PUSH || push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        if (!kind.equals("message") && !kind.equals("pmessage")) {
            return;
        }
        synchronized (messages) {
            if (messages.size() >= max) {
                return;
            }
            if (replies.count(ReplyAccount.size(push)) != null) {
                ended.tryComplete(Ended.NO_ROOM); // it and what follows are dropped, as pub/sub drops for a slow reader
                return;
            }
            ObjectNode message = Results.JSON.objectNode();
            boolean pattern = kind.equals("pmessage");
            if (pattern) {
                message.put("pattern", push.get(1).toString(StandardCharsets.UTF_8));
            }
            message.put("channel", push.get(pattern ? 2 : 1).toString(StandardCharsets.UTF_8));
            message.set("message", Results.value(push.get(pattern ? 3 : 2), args));
            messages.add(message);
            if (messages.size() >= max) {
                ended.tryComplete(Ended.FULL);
            }
        }
    }

    private static JsonNode messagesResult(List<JsonNode> messages, Ended why) {
        ObjectNode result = Results.JSON.objectNode();
        synchronized (messages) {
            ArrayNode array = result.putArray("messages");
            messages.forEach(array::add);
            result.put("count", messages.size());
        }
        result.put("timedOut", why == Ended.TIMED_OUT);
        result.put("truncated", why == Ended.NO_ROOM);
        return result;
    }
}
