package dev.redisfn.command;

import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.connection.Failures;
import dev.redisfn.connection.Route;
import dev.redisfn.connection.Slots;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * At-least-once consumption of a stream by a flow that polls: STREAM.CONSUME creates the group (and
 * the stream) when missing, first takes back entries another consumer left pending longer than
 * {@code claimIdleMs} (XAUTOCLAIM), then reads new entries (XREADGROUP &gt;), waiting up to
 * {@code blockMs} for one. Each entry stays pending until the flow acknowledges it with XACK, so a
 * flow that fails between consume and ack gets it again on a later call with {@code claimIdleMs}.
 * XAUTOCLAIM looks at 10 × COUNT pending entries per call: the claim follows its cursor for up to
 * {@link #MAX_CLAIM_ROUNDS} calls, so idle entries behind fresh ones are found too.
 */
final class StreamConsumer {

    static final long MAX_BLOCK_MS = 60_000;
    /** XAUTOCLAIM calls per consume at most: they look at up to 100 × count pending entries. */
    static final int MAX_CLAIM_ROUNDS = 10;
    static final Param GROUP = Streams.GROUP;
    static final Param CONSUMER = Streams.CONSUMER;
    static final Param COUNT = Param.optional("count", ParamType.INTEGER, "Most entries returned (claimed and new together).")
            .withDefault(10L).between(1, Scans.MAX_KEYS);
    static final Param BLOCK_MS = Param.optional("blockMs", ParamType.INTEGER,
            "Wait up to this long for a new entry when none is there (at most " + MAX_BLOCK_MS + "; added to commandTimeoutMs).")
            .between(0, MAX_BLOCK_MS);
    static final Param CLAIM_IDLE_MS = Param.optional("claimIdleMs", ParamType.INTEGER,
            "First take over entries pending (delivered, not acknowledged) for longer than this.").atLeast(0);
    static final Param START = Param.optional("start", ParamType.STRING,
            "Where a group this call creates starts: 0 for the whole stream, $ for new entries only, or after an"
                    + " entry id.").withDefault("0");

    private StreamConsumer() {
    }

    static List<Operation> operations() {
        return new Group("stream")
                .runner("STREAM.CONSUME", "XGROUP CREATE MKSTREAM, XAUTOCLAIM, XREADGROUP", WRITE,
                        "Poll a stream as a consumer group member, at least once: {entries: [{id, fields}], claimed,"
                                + " deleted: [ids of pending entries deleted from the stream, dropped]}; acknowledge each"
                                + " entry with XACK.",
                        List.of(KEY, GROUP, CONSUMER, COUNT, BLOCK_MS, CLAIM_IDLE_MS, START), StreamConsumer::consume)
                .operations();
    }

    /** The longest a call may wait for new entries, for the dispatcher's deadline. */
    static long waitOf(Args args) {
        return args.waitMillis("blockMs", MAX_BLOCK_MS);
    }

    private static Future<JsonNode> consume(Args args, Target target, ReplyAccount replies) {
        String key = args.key();
        long count = args.integer("count");
        Long block = args.integer("blockMs");
        Long idle = args.integer("claimIdleMs");
        Bounds.groupStart(args, "start");
        Route route = Route.of(Slots.of(key), false);
        // a blocking read must not hold up the calls pipelined behind it: it gets a connection of its own, which
        // a caller gone away cuts off, so that Redis hands no entries to a consumer nobody answers for (those
        // would wait for claimIdleMs)
        replies.awaitConnection();
        return target.exclusive(route, conn -> replies.onOwnConnection("STREAM.CONSUME", conn, () -> createGroup(conn, args)
                .compose(created -> {
                    Claims claims = new Claims(Results.JSON.arrayNode(), Results.JSON.arrayNode());
                    return idle == null ? Future.succeededFuture(claims)
                            : claim(conn, args, idle, count, "0-0", claims, 1, replies);
                })
                .compose(claims -> {
                    long wanted = count - claims.entries().size();
                    Future<Response> fresh = wanted <= 0 ? Future.succeededFuture(null)
                            : conn.send(read(args, wanted, claims.entries().isEmpty() ? block : null))
                                    .compose(replies::charge);
                    return fresh.map(read -> result(claims, read, args));
                }))).recover(StreamConsumer::tooLarge);
    }

    /**
     * Entries over the reply limit were delivered all the same: they stay pending, and a call that
     * claims them meets the limit again — so the hint says how to get past one that is too large alone.
     */
    private static Future<JsonNode> tooLarge(Throwable failure) {
        ConnectorException mapped = Failures.classify(failure);
        return Future.failedFuture(mapped.code() != ErrorCode.REPLY_TOO_LARGE ? mapped : mapped.withHint("count: lower it;"
                + " an entry over the reply limit on its own stays pending (XPENDING lists it) — XACK or XDEL it, or"
                + " raise connector.limits.reply-size"));
    }

    /** XGROUP CREATE ... MKSTREAM; a group that exists already (BUSYGROUP) is what the call wanted. */
    private static Future<Void> createGroup(RedisConnection conn, Args args) {
        Request create = Request.cmd(Command.XGROUP).arg("CREATE").arg(args.key()).arg(args.string("group"))
                .arg(args.string("start")).arg("MKSTREAM");
        return conn.send(create).<Void>mapEmpty().recover(failure -> RedisErrors.is(failure, "BUSYGROUP")
                ? Future.succeededFuture() : Future.failedFuture(failure));
    }

    /** The entries taken over, and the ids of pending entries deleted from the stream (which XAUTOCLAIM drops). */
    private record Claims(ArrayNode entries, ArrayNode deleted) {
    }

    /**
     * XAUTOCLAIM key group consumer idle cursor COUNT n, again from the cursor it answers until
     * {@code count} entries are taken over, the pending list is done (0-0) or after {@link #MAX_CLAIM_ROUNDS}.
     */
    private static Future<Claims> claim(RedisConnection conn, Args args, long idle, long count, String cursor,
            Claims claims, int round, ReplyAccount replies) {
        return conn.send(Request.cmd(Command.XAUTOCLAIM).arg(args.key()).arg(args.string("group"))
                .arg(args.string("consumer")).arg(Long.toString(idle)).arg(cursor)
                .arg("COUNT").arg(Long.toString(count - claims.entries().size())))
                .compose(replies::charge).compose(reply -> {
                    for (JsonNode entry : Streams.entries(reply.get(1), args)) {
                        if (!entry.isNull()) { // Redis 6.2 answers nil for an entry deleted while pending
                            claims.entries().add(entry);
                        }
                    }
                    if (reply.size() > 2) { // Redis 7 names them
                        reply.get(2).forEach(id -> claims.deleted().add(Results.utf8(id)));
                    }
                    String next = Results.utf8(reply.get(0));
                    return "0-0".equals(next) || claims.entries().size() >= count || round >= MAX_CLAIM_ROUNDS
                            ? Future.succeededFuture(claims) : claim(conn, args, idle, count, next, claims, round + 1, replies);
                });
    }

    private static Request read(Args args, long count, Long blockMs) {
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(args.string("group"))
                .arg(args.string("consumer")).arg("COUNT").arg(Long.toString(count));
        if (blockMs != null && blockMs > 0) {
            request.arg("BLOCK").arg(Long.toString(blockMs));
        }
        return request.arg("STREAMS").arg(args.key()).arg(">");
    }

    /** {entries: claimed ones first, then new ones; claimed: how many were taken over; deleted: ids}. */
    private static JsonNode result(Claims claims, Response read, Args args) {
        ArrayNode entries = Results.JSON.arrayNode().addAll(claims.entries());
        if (read != null) {
            for (Response stream : read) {
                Streams.entries(stream.get(1), args).forEach(entries::add);
            }
        }
        ObjectNode result = Results.JSON.objectNode();
        result.set("entries", entries);
        result.put("claimed", claims.entries().size());
        result.set("deleted", claims.deleted());
        return result;
    }
}
