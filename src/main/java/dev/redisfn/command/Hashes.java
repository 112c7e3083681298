package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.FIELD;
import static dev.redisfn.command.Params.FIELDS;
import static dev.redisfn.command.Params.KEY;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Hashes: field/value maps under one key. */
final class Hashes {

    static final Param WITH_VALUES = Param.optional("withValues", ParamType.BOOLEAN, "Return fields with their values.")
            .withDefault(false);
    static final Param FIELD_LIST = Param.optional("fields", ParamType.STRING_ARRAY, "Several fields (or give field).");

    private Hashes() {
    }

    static List<Operation> operations() {
        return new Group("hash")
                .op("HSET", WRITE, "Set fields of a hash (fields object, or field + value); returns how many were new.",
                        List.of(KEY, FIELDS.asOptional().describedAs("Field names mapped to values (or give field + value)."),
                                FIELD.asOptional(), Params.VALUE_PARAM.asOptional()),
                        Hashes::hset, Results::integer)
                .op("HGET", READ, "The value of a hash field, or null.", List.of(KEY, FIELD),
                        a -> Request.cmd(Command.HGET).arg(a.key()).arg(a.string("field")), Results::value)
                .op("HGETALL", READ, "All fields and values of a hash as an object ({} when missing).", List.of(KEY),
                        a -> Request.cmd(Command.HGETALL).arg(a.key()), Results::hash)
                .op("HDEL", WRITE, "Delete hash fields; returns how many existed.",
                        List.of(KEY, FIELD_LIST, FIELD.asOptional()),
                        a -> Commands.keyAndStrings(Command.HDEL, a.key(), a.stringsOrOne("fields", "field")),
                        Results::integer)
                .op("HSETNX", WRITE, "Set a hash field only if it does not exist; true when set.",
                        List.of(KEY, FIELD, Params.VALUE_PARAM),
                        a -> Request.cmd(Command.HSETNX).arg(a.key()).arg(a.string("field")).arg(a.value("value")),
                        Results::bool)
                .op("HMGET", READ, "The values of several fields, in the order asked; null for missing ones.",
                        List.of(KEY, Params.FIELD_NAMES),
                        a -> Commands.keyAndStrings(Command.HMGET, a.key(), a.strings("fields")), Results::values)
                .op("HEXISTS", READ, "Whether a field exists.", List.of(KEY, FIELD),
                        a -> Request.cmd(Command.HEXISTS).arg(a.key()).arg(a.string("field")), Results::bool)
                .op("HKEYS", READ, "All field names.", List.of(KEY),
                        a -> Request.cmd(Command.HKEYS).arg(a.key()), Results::strings)
                .op("HVALS", READ, "All values.", List.of(KEY),
                        a -> Request.cmd(Command.HVALS).arg(a.key()), Results::values)
                .op("HLEN", READ, "How many fields (0 when missing).", List.of(KEY),
                        a -> Request.cmd(Command.HLEN).arg(a.key()), Results::integer)
                .op("HINCRBY", WRITE, "Add an integer to a field; returns the new value.",
                        List.of(KEY, FIELD, Params.INCREMENT.asRequired()),
                        a -> Request.cmd(Command.HINCRBY).arg(a.key()).arg(a.string("field")).arg(a.digits("increment")),
                        Results::integer)
                .op("HINCRBYFLOAT", WRITE, "Add a number to a field; returns the new value.",
                        List.of(KEY, FIELD, Strings.FLOAT_INCREMENT),
                        a -> Request.cmd(Command.HINCRBYFLOAT).arg(a.key()).arg(a.string("field"))
                                .arg(a.decimal("increment")), Results::decimal)
                .op("HSTRLEN", READ, "The length of a field's value in bytes.", List.of(KEY, FIELD),
                        a -> Request.cmd(Command.HSTRLEN).arg(a.key()).arg(a.string("field")), Results::integer)
                .op("HRANDFIELD", READ, "A random field (or count fields as an array; withValues: [{field, value}];"
                        + " a negative count may repeat fields).",
                        List.of(KEY, Params.RANDOM_COUNT, WITH_VALUES), Hashes::hrandfield, Hashes::hrandfieldResult)
                .op("HSCAN", READ, "One page of fields: {cursor, fields}; pass the cursor back until it is \"0\".",
                        Scans.IN_KEY_PARAMS, a -> Scans.inKey(Command.HSCAN, a), Scans::hashPage)
                .operations();
    }

    private static Request hrandfield(Args args) {
        Request request = Request.cmd(Command.HRANDFIELD).arg(args.key());
        if (args.has("count")) {
            request.arg(args.digits("count"));
            if (args.flag("withValues")) {
                request.arg("WITHVALUES");
            }
        } else if (args.flag("withValues")) {
            throw args.invalid("withValues", "needs count");
        }
        return request;
    }

    private static JsonNode hrandfieldResult(Response reply, Args args) {
        if (!args.has("count")) {
            return Results.text(reply, args);
        }
        if (!args.flag("withValues")) {
            return Results.strings(reply, args);
        }
        // pairs rather than an object: a negative count may repeat fields, which an object would fold into one
        return fieldValuePairs(reply, args);
    }

    /** [{field, value}] from the flat field, value, field, value ... reply (RESP2, which every client speaks). */
    private static JsonNode fieldValuePairs(Response reply, Args args) {
        ArrayNode pairs = Results.JSON.arrayNode();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            ObjectNode pair = pairs.addObject();
            pair.put("field", reply.get(i).toString(StandardCharsets.UTF_8));
            pair.set("value", Results.value(reply.get(i + 1), args));
        }
        return pairs;
    }

    private static Request hset(Args args) {
        Request request = Request.cmd(Command.HSET).arg(args.key());
        if (args.has("fields")) {
            args.requireNot("fields", "field", "value");
            for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) args.object("fields")::fields) {
                request.arg(entry.getKey()).arg(args.encoding().encode(entry.getValue(), "fields." + entry.getKey()));
            }
            return request;
        }
        if (!args.has("field")) {
            throw args.invalid("fields", "required (or give field + value)");
        }
        return request.arg(args.string("field")).arg(args.value("value"));
    }
}
