package dev.redisfn.operation;

import static dev.redisfn.operation.Access.READ;
import static dev.redisfn.operation.Access.WRITE;
import static dev.redisfn.operation.Params.FIELD;
import static dev.redisfn.operation.Params.FIELDS;
import static dev.redisfn.operation.Params.KEY;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Hashes: field/value maps under one key. */
final class Hashes {

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
                .operations();
    }

    private static Request hset(Args args) {
        Request request = Request.cmd(Command.HSET).arg(args.key());
        if (args.has("fields")) {
            if (args.has("field")) {
                throw args.invalid("field", "give fields or field + value, not both");
            }
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
