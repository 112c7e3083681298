package dev.redisfn.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.connection.Route;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.transport.ReplyGuard;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Cursor paging over the key space (SCAN, and KEYS as a bounded SCAN) and inside one key (HSCAN,
 * SSCAN, ZSCAN). In cluster mode a key-space cursor is {@code "<master>:<cursor>"}: the pages
 * walk the masters one after the other, so a flow pages through the whole cluster.
 */
final class Scans {

    /** The most keys KEYS collects, whatever limit a call asks for. */
    static final int MAX_KEYS = 10_000;

    static final Param CURSOR = Param.optional("cursor", ParamType.STRING, "Where to continue: \"0\" to start, then the cursor returned.")
            .withDefault("0");
    static final Param PATTERN = Param.optional("pattern", ParamType.STRING, "Glob-style pattern, e.g. user:*.");
    static final Param PAGE_COUNT = Param.optional("count", ParamType.INTEGER,
            "How much work per page (a hint, default 100).").withDefault(100L).between(1, MAX_KEYS);
    static final Param TYPE = Param.optional("type", ParamType.STRING, "Only keys of this type.")
            .oneOf("string", "list", "set", "zset", "hash", "stream");
    static final Param LIMIT = Param.optional("limit", ParamType.INTEGER, "Most keys returned.")
            .withDefault(1000L).between(1, MAX_KEYS);

    static final List<Param> KEYSPACE_PARAMS = List.of(CURSOR, PATTERN, PAGE_COUNT, TYPE);
    static final List<Param> KEYS_PARAMS = List.of(PATTERN.withDefault("*"), LIMIT, TYPE);
    static final List<Param> IN_KEY_PARAMS = List.of(Params.KEY, CURSOR, PATTERN, PAGE_COUNT);

    private Scans() {
    }

    static Future<JsonNode> scan(Args args, Target target, ReplyAccount replies) {
        String cursor = args.string("cursor");
        long count = args.integer("count");
        return target.masters().compose(masters -> {
            Position at = Position.parse(cursor, masters.size(), args);
            return masters.get(at.master()).send(scanRequest(at.cursor(), args.string("pattern"), count, args.string("type")),
                    Route.ANY_READ).compose(replies::charge).map(reply -> {
                        ObjectNode page = Results.JSON.objectNode();
                        page.put("cursor", at.next(reply.get(0).toString(), masters.size()));
                        page.set("keys", Results.strings(reply.get(1), args));
                        return page;
                    });
        });
    }

    static Future<JsonNode> keys(Args args, Target target, ReplyAccount replies) {
        long limit = args.integer("limit");
        ArrayNode found = Results.JSON.arrayNode();
        return target.masters().compose(masters -> collect(masters, 0, "0", args, limit, found, replies))
                .map(truncated -> {
                    ObjectNode result = Results.JSON.objectNode();
                    result.set("keys", found);
                    result.put("truncated", truncated);
                    return result;
                });
    }

    /** SCANs master {@code index} from {@code cursor} until done or {@code limit} keys are found; true when cut short. */
    private static Future<Boolean> collect(List<Target> masters, int index, String cursor, Args args, long limit,
            ArrayNode found, ReplyAccount replies) {
        if (index >= masters.size()) {
            return Future.succeededFuture(false);
        }
        Request request = scanRequest(cursor, args.string("pattern"), 1000, args.string("type"));
        return masters.get(index).send(request, Route.ANY_READ).compose(reply -> {
            long kept = 0; // the keys this page adds to the result are what the call holds of it
            for (Response key : reply.get(1)) {
                if (found.size() >= limit) {
                    return charged(replies, kept, true);
                }
                found.add(key.toString(StandardCharsets.UTF_8));
                kept += ReplyGuard.ELEMENT_COST + ReplyAccount.size(key);
            }
            String next = reply.get(0).toString();
            return charged(replies, kept, false).compose(truncated -> "0".equals(next)
                    ? collect(masters, index + 1, "0", args, limit, found, replies)
                    : collect(masters, index, next, args, limit, found, replies));
        });
    }

    /** Charges what a page added to the result; {@code truncated} when the call may hold it. */
    private static Future<Boolean> charged(ReplyAccount replies, long kept, boolean truncated) {
        ConnectorException refused = replies.count(kept);
        return refused != null ? Future.failedFuture(refused) : Future.succeededFuture(truncated);
    }

    /** HSCAN / SSCAN / ZSCAN request inside one key. */
    static Request inKey(Command command, Args args) {
        String cursor = args.string("cursor");
        Position.requireDigits(cursor, args);
        Request request = Request.cmd(command).arg(args.key()).arg(cursor);
        String pattern = args.string("pattern");
        if (pattern != null) {
            request.arg("MATCH").arg(pattern);
        }
        return request.arg("COUNT").arg(Long.toString(args.integer("count")));
    }

    static JsonNode hashPage(Response reply, Args args) {
        return page(reply, "fields", Results.hash(reply.get(1), args));
    }

    static JsonNode setPage(Response reply, Args args) {
        return page(reply, "members", Results.strings(reply.get(1), args));
    }

    static JsonNode sortedSetPage(Response reply, Args args) {
        return page(reply, "members", Results.scored(reply.get(1), args));
    }

    private static JsonNode page(Response reply, String name, JsonNode items) {
        ObjectNode page = Results.JSON.objectNode();
        page.put("cursor", reply.get(0).toString());
        page.set(name, items);
        return page;
    }

    private static Request scanRequest(String cursor, String pattern, long count, String type) {
        Request request = Request.cmd(Command.SCAN).arg(cursor);
        if (pattern != null) {
            request.arg("MATCH").arg(pattern);
        }
        request.arg("COUNT").arg(Long.toString(count));
        return type == null ? request : request.arg("TYPE").arg(type);
    }

    /** A key-space cursor: which master, and the cursor within it. */
    private record Position(int master, String cursor) {

        static Position parse(String text, int masters, Args args) {
            if (masters == 1) {
                requireDigits(text, args);
                return new Position(0, text);
            }
            int colon = text.indexOf(':');
            if (text.equals("0")) {
                return new Position(0, "0");
            }
            if (colon < 0) {
                throw args.invalid("cursor", "not a cursor returned by SCAN in cluster mode");
            }
            try {
                int master = Integer.parseInt(text.substring(0, colon));
                String cursor = text.substring(colon + 1);
                requireDigits(cursor, args);
                if (master < 0 || master >= masters) {
                    throw args.invalid("cursor", "refers to a master that no longer exists; start again from \"0\"");
                }
                return new Position(master, cursor);
            } catch (NumberFormatException e) {
                throw args.invalid("cursor", "not a cursor returned by SCAN");
            }
        }

        String next(String nodeCursor, int masters) {
            if (masters == 1) {
                return nodeCursor;
            }
            if (!"0".equals(nodeCursor)) {
                return master + ":" + nodeCursor;
            }
            return master + 1 < masters ? (master + 1) + ":0" : "0";
        }

        static void requireDigits(String cursor, Args args) {
            if (!cursor.matches("\\d{1,20}")) {
                throw args.invalid("cursor", "must be \"0\" or a cursor returned by SCAN");
            }
        }
    }
}
