package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A consumer group's pending entries — delivered to a consumer, not yet acknowledged — listed and
 * taken over by another consumer: how a flow finds and re-drives the entries of a consumer that
 * failed (STREAM.CONSUME's {@code claimIdleMs} does the same in one step).
 */
final class StreamPending {

    static final Param MIN_IDLE_MS = Param.required("minIdleMs", ParamType.INTEGER,
            "Only entries pending at least this long (milliseconds) since their last delivery.").atLeast(0);
    static final Param ENTRY_COUNT = Param.optional("count", ParamType.INTEGER, "At most this many entries.")
            .between(1, Scans.MAX_KEYS);
    static final Param CONSUMER = Param.optional("consumer", ParamType.STRING, "Only this consumer's entries (with count).")
            .notEmpty();

    private StreamPending() {
    }

    static List<Operation> operations() {
        return new Group("stream")
                .op("XPENDING", "XPENDING [[IDLE] start end count [consumer]]", READ,
                        "A group's pending entries: {count, smallestId, greatestId, consumers: {name: count}}; with"
                                + " count, the entries themselves: [{id, consumer, idleMs, deliveries}].",
                        List.of(KEY, Streams.GROUP, Streams.START.describedAs("First id, inclusive (- is the smallest;"
                                + " with count)."), Streams.END.describedAs("Last id, inclusive (+ is the greatest; with"
                                + " count)."), ENTRY_COUNT, CONSUMER, MIN_IDLE_MS.asOptional().describedAs("Only entries"
                                + " pending at least this long, in milliseconds (with count).")),
                        StreamPending::xpending, StreamPending::pending)
                .op("XCLAIM", "XCLAIM", WRITE, "Take pending entries over for a consumer when they have been idle at"
                        + " least minIdleMs: [{id, fields}] of those taken (an entry deleted from the stream is left out"
                        + " and no longer pending).", List.of(KEY, Streams.GROUP, Streams.CONSUMER, MIN_IDLE_MS,
                                Streams.ID_OR_IDS.get(0), Streams.ID_OR_IDS.get(1)),
                        StreamPending::xclaim, StreamPending::claimed)
                .op("XAUTOCLAIM", "XAUTOCLAIM [COUNT]", WRITE, "Take over up to count pending entries idle at least"
                        + " minIdleMs, scanning from start: {next, entries: [{id, fields}], deleted: [ids]}; pass next"
                        + " back as start until it is \"0-0\".", List.of(KEY, Streams.GROUP, Streams.CONSUMER,
                                MIN_IDLE_MS, Param.optional("start", ParamType.STRING, "Where the scan of the pending"
                                        + " entries begins (an id; 0-0 is the first).").withDefault("0-0"),
                                ENTRY_COUNT.describedAs("At most this many entries (Redis' default: 100).")),
                        StreamPending::xautoclaim, StreamPending::autoclaimed)
                .operations();
    }

    private static Request xpending(Args args) {
        Request request = Request.cmd(Command.XPENDING).arg(args.key()).arg(args.string("group"));
        if (!args.has("count")) {
            for (String extended : List.of("consumer", "minIdleMs")) {
                if (args.has(extended)) {
                    throw args.invalid(extended, "needs count (it lists entries, which the summary does not)");
                }
            }
            return request;
        }
        if (args.has("minIdleMs")) {
            request.arg("IDLE").arg(args.digits("minIdleMs"));
        }
        request.arg(Bounds.range(args, "start")).arg(Bounds.range(args, "end")).arg(args.digits("count"));
        return args.has("consumer") ? request.arg(args.string("consumer")) : request;
    }

    private static JsonNode pending(Response reply, Args args) {
        return args.has("count") ? pendingEntries(reply) : summary(reply, args);
    }

    /** [count, smallest, greatest, [[consumer, "n"], ...]]; the per-consumer counts are bulk strings. */
    private static JsonNode summary(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        result.put("count", reply.get(0).toLong());
        result.set("smallestId", Results.text(reply.get(1), args));
        result.set("greatestId", Results.text(reply.get(2), args));
        ObjectNode consumers = result.putObject("consumers");
        if (reply.get(3) != null) {
            for (Response consumer : reply.get(3)) {
                consumers.put(Results.utf8(consumer.get(0)), Long.parseLong(Results.utf8(consumer.get(1))));
            }
        }
        return result;
    }

    /** [[id, consumer, idle, deliveries], ...] as [{id, consumer, idleMs, deliveries}]. */
    private static JsonNode pendingEntries(Response reply) {
        ArrayNode entries = Results.JSON.arrayNode(reply.size());
        for (Response entry : reply) {
            entries.addObject().put("id", Results.utf8(entry.get(0))).put("consumer", Results.utf8(entry.get(1)))
                    .put("idleMs", entry.get(2).toLong()).put("deliveries", entry.get(3).toLong());
        }
        return entries;
    }

    private static Request xclaim(Args args) {
        Request request = Request.cmd(Command.XCLAIM).arg(args.key()).arg(args.string("group"))
                .arg(args.string("consumer")).arg(args.digits("minIdleMs"));
        String name = args.has("ids") ? "ids" : "id";
        Bounds.entries(args, args.stringsOrOne("ids", "id"), name).forEach(request::arg);
        return request;
    }

    /** The entries taken; Redis 7 leaves out those deleted from the stream, 6.2 answers nil for them. */
    private static JsonNode claimed(Response reply, Args args) {
        ArrayNode taken = Results.JSON.arrayNode();
        Streams.entries(reply, args).forEach(entry -> {
            if (!entry.isNull()) {
                taken.add(entry);
            }
        });
        return taken;
    }

    private static Request xautoclaim(Args args) {
        Request request = Request.cmd(Command.XAUTOCLAIM).arg(args.key()).arg(args.string("group"))
                .arg(args.string("consumer")).arg(args.digits("minIdleMs"))
                .arg(Bounds.entries(args, List.of(args.string("start")), "start").get(0));
        return args.has("count") ? request.arg("COUNT").arg(args.digits("count")) : request;
    }

    /** [next, entries, deleted ids] (Redis 7; 6.2 has no third element) as {next, entries, deleted}. */
    private static JsonNode autoclaimed(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        result.put("next", Results.utf8(reply.get(0)));
        result.set("entries", claimed(reply.get(1), args));
        ArrayNode deleted = result.putArray("deleted");
        if (reply.size() > 2 && reply.get(2) != null) {
            reply.get(2).forEach(id -> deleted.add(Results.utf8(id)));
        }
        return result;
    }
}
