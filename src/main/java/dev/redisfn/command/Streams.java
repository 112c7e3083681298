package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.Fields;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Streams: append-only logs of field/value entries, read by range or by consumer group. An entry
 * is {@code {"id": "1700000000000-0", "fields": {...}}}. Reads never BLOCK: a request/response
 * step must answer within its deadline (README, "left out on purpose").
 */
final class Streams {

    private static final Fields F = Fields.request("params.");

    static final Param FIELDS = Params.FIELDS.describedAs("Field names mapped to values (values follow encoding).");
    static final Param ID = Param.optional("id", ParamType.STRING, "The entry id; * lets Redis generate it.").withDefault("*");
    static final Param IDS = Param.required("ids", ParamType.STRING_ARRAY, "Entry ids, at least one.");
    /** XDEL and XACK take one id or several, as other operations take key or keys. */
    static final List<Param> ID_OR_IDS = List.of(Param.optional("id", ParamType.STRING, "One entry id (or give ids)."),
            IDS.describedAs("Several entry ids (or give id).").asOptional());
    static final Param MAX_LEN = Param.optional("maxLen", ParamType.INTEGER, "Trim the stream to at most this many entries.")
            .atLeast(0);
    static final Param MIN_ID = Param.optional("minId", ParamType.STRING,
            "Trim the entries with ids below this one (an id's time part alone trims by age; or give maxLen).");
    static final Param NO_MK_STREAM = Param.optional("noMkStream", ParamType.BOOLEAN,
            "Do not create a missing stream: nothing is added and the result is null.").withDefault(false);
    static final Param APPROXIMATE = Param.optional("approximate", ParamType.BOOLEAN,
            "Trim lazily (MAXLEN ~ or MINID ~): faster, may keep a few more entries.").withDefault(false);
    static final Param START = Param.optional("start", ParamType.STRING, "First id, inclusive (- is the smallest).")
            .withDefault("-");
    static final Param END = Param.optional("end", ParamType.STRING, "Last id, inclusive (+ is the greatest).")
            .withDefault("+");
    static final Param COUNT = Params.COUNT.describedAs("Return at most this many entries (per stream).");
    static final Param STREAMS = Param.required("streams", ParamType.OBJECT,
            "Stream keys mapped to the entry id to read after, e.g. {\"orders\": \"0-0\"}.");
    static final Param GROUP_STREAMS = STREAMS.describedAs("Stream keys mapped to \">\" (entries never delivered to"
            + " the group) or to an entry id (this consumer's pending entries after it), e.g. {\"orders\": \">\"}.");
    static final Param GROUP = Param.required("group", ParamType.STRING, "The consumer group.").notEmpty();
    static final Param CONSUMER = Param.required("consumer", ParamType.STRING, "The consumer within the group.").notEmpty();
    static final Param GROUP_START = Param.optional("id", ParamType.STRING,
            "Where the group starts reading: $ for new entries only, 0 for the whole stream.").withDefault("$");
    static final Param MK_STREAM = Param.optional("mkStream", ParamType.BOOLEAN, "Create the stream if it is missing.")
            .withDefault(false);
    static final Param NO_ACK = Param.optional("noAck", ParamType.BOOLEAN,
            "Do not add the entries to the pending list (no XACK needed).").withDefault(false);

    private Streams() {
    }

    static List<Operation> operations() {
        return new Group("stream")
                .op("XADD", "XADD [NOMKSTREAM] [MAXLEN|MINID [~] threshold]", WRITE,
                        "Append an entry; returns its id (null with noMkStream when the stream is missing).",
                        List.of(KEY, FIELDS, ID, MAX_LEN, MIN_ID, APPROXIMATE, NO_MK_STREAM), Streams::xadd, Results::text)
                .op("XLEN", READ, "How many entries (0 when missing).", List.of(KEY),
                        a -> Request.cmd(Command.XLEN).arg(a.key()), Results::integer)
                .op("XRANGE", READ, "Entries with start <= id <= end, oldest first: [{id, fields}].",
                        List.of(KEY, START, END, COUNT),
                        a -> count(Request.cmd(Command.XRANGE).arg(a.key()).arg(Bounds.range(a, "start")).arg(Bounds.range(a, "end")), a),
                        Streams::entries)
                .op("XREVRANGE", READ, "Entries with end >= id >= start, newest first: [{id, fields}].",
                        List.of(KEY, END, START, COUNT),
                        a -> count(Request.cmd(Command.XREVRANGE).arg(a.key()).arg(Bounds.range(a, "end")).arg(Bounds.range(a, "start")), a),
                        Streams::entries)
                .op("XREAD", "XREAD [COUNT] STREAMS", READ,
                        "Entries after the given id of each stream, without blocking: {key: [{id, fields}]} ({} when none).",
                        List.of(STREAMS, COUNT), a -> streams(count(Request.cmd(Command.XREAD), a), a, false), Streams::byStream)
                .oneSlot()
                .op("XDEL", WRITE, "Delete entries by id; returns how many existed.", withIds(KEY),
                        a -> Commands.keyAndStrings(Command.XDEL, a.key(), ids(a)), Results::integer)
                .op("XTRIM", "XTRIM MAXLEN|MINID [~] threshold", WRITE,
                        "Trim to at most maxLen entries, or the entries below minId; returns how many were removed.",
                        List.of(KEY, MAX_LEN, MIN_ID, APPROXIMATE), Streams::xtrim, Results::integer)
                .op("XGROUP.CREATE", "XGROUP CREATE [MKSTREAM]", WRITE, "Create a consumer group starting at id.",
                        List.of(KEY, GROUP, GROUP_START, MK_STREAM), Streams::createGroup, Results::bool)
                .op("XGROUP.DESTROY", "XGROUP DESTROY", WRITE, "Delete a consumer group, its consumers and pending"
                        + " entries; false when there was none.", List.of(KEY, GROUP),
                        a -> Request.cmd(Command.XGROUP).arg("DESTROY").arg(a.key()).arg(a.string("group")), Results::bool)
                .op("XGROUP.DELCONSUMER", "XGROUP DELCONSUMER", WRITE, "Delete a consumer of a group; returns how many"
                        + " entries it had pending (they are no longer pending).", List.of(KEY, GROUP, CONSUMER),
                        a -> Request.cmd(Command.XGROUP).arg("DELCONSUMER").arg(a.key()).arg(a.string("group"))
                                .arg(a.string("consumer")), Results::integer)
                .op("XGROUP.SETID", "XGROUP SETID", WRITE, "Move a group's last-delivered id (0 rereads the stream,"
                        + " $ skips to its end).", List.of(KEY, GROUP, GROUP_START.asRequired()),
                        a -> Request.cmd(Command.XGROUP).arg("SETID").arg(a.key()).arg(a.string("group")).arg(Bounds.groupStart(a, "id")),
                        Results::bool)
                .op("XREADGROUP", "XREADGROUP GROUP [COUNT] [NOACK] STREAMS", WRITE,
                        "Entries for a consumer of a group, without blocking: {key: [{id, fields}]} ({} when none).",
                        List.of(GROUP, CONSUMER, GROUP_STREAMS, COUNT, NO_ACK), Streams::readGroup, Streams::byStream)
                .oneSlot()
                .op("XACK", WRITE, "Acknowledge entries of a group; returns how many were pending.",
                        withIds(KEY, GROUP), a -> Commands.keyAndStrings(Command.XACK, a.key(),
                                prepend(a.string("group"), ids(a))), Results::integer)
                .op("XINFO.STREAM", "XINFO STREAM", READ,
                        "A stream's length, ids and groups as an object; first-entry/last-entry as {id, fields}.",
                        List.of(KEY), a -> Request.cmd(Command.XINFO).arg("STREAM").arg(a.key()), Streams::info)
                .op("XINFO.GROUPS", "XINFO GROUPS", READ, "A stream's consumer groups: [{name, consumers, pending,"
                        + " last-delivered-id, entries-read, lag}].", List.of(KEY),
                        a -> Request.cmd(Command.XINFO).arg("GROUPS").arg(a.key()), Streams::infos)
                .op("XINFO.CONSUMERS", "XINFO CONSUMERS", READ, "A group's consumers: [{name, pending, idle}]"
                        + " (idle in milliseconds; Redis 7.2 adds inactive).", List.of(KEY, GROUP),
                        a -> Request.cmd(Command.XINFO).arg("CONSUMERS").arg(a.key()).arg(a.string("group")), Streams::infos)
                .operations();
    }

    private static Request xadd(Args args) {
        Request request = Request.cmd(Command.XADD).arg(args.key());
        if (args.flag("noMkStream")) {
            request.arg("NOMKSTREAM");
        }
        trim(request, args).arg(Bounds.newEntry(args, "id"));
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) args.object("fields")::fields) {
            request.arg(field.getKey()).arg(args.encoding().encode(field.getValue(), "fields." + field.getKey()));
        }
        return request;
    }

    private static Request xtrim(Args args) {
        if (!args.has("maxLen") && !args.has("minId")) {
            throw args.invalid("maxLen", "required (or give minId)");
        }
        return trim(Request.cmd(Command.XTRIM).arg(args.key()), args);
    }

    /** MAXLEN [~] n or MINID [~] id when either is given. */
    private static Request trim(Request request, Args args) {
        if (args.has("maxLen") && args.has("minId")) {
            throw args.invalid("minId", "give maxLen or minId, not both");
        }
        if (!args.has("maxLen") && !args.has("minId")) {
            if (args.flag("approximate")) {
                throw args.invalid("approximate", "needs maxLen or minId");
            }
            return request;
        }
        boolean byLength = args.has("maxLen");
        request.arg(byLength ? "MAXLEN" : "MINID");
        if (args.flag("approximate")) {
            request.arg("~");
        }
        return request.arg(byLength ? args.digits("maxLen") : Bounds.entries(args, List.of(args.string("minId")), "minId").get(0));
    }

    private static Request count(Request request, Args args) {
        return args.has("count") ? request.arg("COUNT").arg(args.digits("count")) : request;
    }

    /**
     * STREAMS k1 k2 ... id1 id2 ... from the {@code streams} object. XREAD reads after an entry id; a
     * group also reads ">" (never delivered). "$" is refused: without blocking it never answers an entry.
     */
    private static Request streams(Request request, Args args, boolean group) {
        List<String> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> stream : (Iterable<Map.Entry<String, JsonNode>>) args.object("streams")::fields) {
            String name = "streams." + stream.getKey();
            String id = F.string(stream.getValue(), name);
            if (id == null || !(group && id.equals(">")) && !Bounds.isEntryId(id)) {
                throw args.invalid(name, group ? "expected \">\" (entries never delivered to the group) or an entry id"
                        + " such as 0-0 (this consumer's pending entries after it)" : "expected an entry id such as 0-0"
                        + " (the entries after it; XREAD does not block, so \"$\" would never answer one)");
            }
            keys.add(stream.getKey());
            ids.add(id);
        }
        request.arg("STREAMS");
        keys.forEach(request::arg);
        ids.forEach(request::arg);
        return request;
    }

    private static Request createGroup(Args args) {
        Request request = Request.cmd(Command.XGROUP).arg("CREATE").arg(args.key()).arg(args.string("group"))
                .arg(Bounds.groupStart(args, "id"));
        return args.flag("mkStream") ? request.arg("MKSTREAM") : request;
    }

    private static Request readGroup(Args args) {
        Request request = count(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(args.string("group"))
                .arg(args.string("consumer")), args);
        return streams(args.flag("noAck") ? request.arg("NOACK") : request, args, true);
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** [[id, [f, v, ...]], ...] as [{id, fields}]. */
    static JsonNode entries(Response reply, Args args) {
        ArrayNode array = Results.JSON.arrayNode();
        if (reply != null) {
            for (Response entry : reply) {
                array.add(entry(entry, args));
            }
        }
        return array;
    }

    /** One entry; fields are null for an entry deleted while pending (XREADGROUP of history). */
    private static JsonNode entry(Response entry, Args args) {
        if (entry == null) {
            return Results.JSON.nullNode();
        }
        ObjectNode object = Results.JSON.objectNode();
        object.put("id", Results.utf8(entry.get(0)));
        Response fields = entry.size() > 1 ? entry.get(1) : null;
        object.set("fields", fields == null ? Results.JSON.nullNode() : Results.hash(fields, args));
        return object;
    }

    /** XREAD / XREADGROUP: [[key, entries], ...] (nil when nothing) as {key: entries}. */
    static JsonNode byStream(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        if (reply != null) {
            for (Response stream : reply) {
                result.set(Results.utf8(stream.get(0)), entries(stream.get(1), args));
            }
        }
        return result;
    }

    /** The flat field/value reply of XINFO STREAM; the only nested values are entries. */
    private static JsonNode info(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            Response value = reply.get(i + 1);
            JsonNode json;
            if (value == null) {
                json = Results.JSON.nullNode();
            } else if (value.type() == ResponseType.MULTI) {
                json = entry(value, args);
            } else if (value.type() == ResponseType.NUMBER) {
                json = Results.JSON.numberNode(value.toLong());
            } else {
                json = Results.JSON.textNode(Results.utf8(value));
            }
            result.set(Results.utf8(reply.get(i)), json);
        }
        return result;
    }

    /** The ids of existing entries that XDEL and XACK take, as {@code id} or {@code ids}. */
    private static List<String> ids(Args args) {
        return Bounds.entries(args, args.stringsOrOne("ids", "id"), args.has("ids") ? "ids" : "id");
    }

    /** XINFO GROUPS and CONSUMERS: an array of flat field/value replies. */
    private static JsonNode infos(Response reply, Args args) {
        ArrayNode result = Results.JSON.arrayNode(reply.size());
        for (Response one : reply) {
            result.add(info(one, args));
        }
        return result;
    }

    private static List<Param> withIds(Param... first) {
        List<Param> params = new ArrayList<>(List.of(first));
        params.addAll(ID_OR_IDS);
        return params;
    }
}
