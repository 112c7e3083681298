package dev.redisfn.operation;

import static dev.redisfn.operation.Access.READ;
import static dev.redisfn.operation.Access.WRITE;
import static dev.redisfn.operation.Params.INCREMENT;
import static dev.redisfn.operation.Params.KEY;
import static dev.redisfn.operation.Params.KEYS;
import static dev.redisfn.operation.Params.TTL_MILLIS;
import static dev.redisfn.operation.Params.TTL_SECONDS;
import static dev.redisfn.operation.Params.VALUE_PARAM;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** String values and counters. */
final class Strings {

    static final Param CONDITION = Param.optional("condition", ParamType.STRING,
            "NX: only if the key does not exist; XX: only if it exists.").oneOf("NX", "XX");
    static final Param ENTRIES = Param.required("entries", ParamType.OBJECT, "Keys mapped to the values to store.");

    private Strings() {
    }

    static List<Operation> operations() {
        return new Group("string")
                .op("GET", READ, "The value of a key, or null.", List.of(KEY),
                        a -> Request.cmd(Command.GET).arg(a.key()), Results::value)
                .op("SET", "SET [EX|PX] [NX|XX]", WRITE,
                        "Store a value; true when written, false when the condition (NX/XX) prevented it.",
                        List.of(KEY, VALUE_PARAM, TTL_SECONDS, TTL_MILLIS, CONDITION), Strings::set, Results::bool)
                .split("MGET", READ, "The values of several keys, in the order asked; null for missing keys.",
                        List.of(KEYS), Command.MGET, Results::values,
                        Operation.KeySplit.CONCAT)
                .op("MSET", WRITE, "Store several keys at once.", List.of(ENTRIES), Strings::mset, Results::bool)
                .op("INCR", WRITE, "Add 1 to a counter; returns the new value.", List.of(KEY),
                        a -> Request.cmd(Command.INCR).arg(a.key()), Results::integer)
                .op("INCRBY", WRITE, "Add an integer to a counter; returns the new value.",
                        List.of(KEY, INCREMENT.asRequired()),
                        a -> Request.cmd(Command.INCRBY).arg(a.key()).arg(a.integer("increment")), Results::integer)
                .op("DECR", WRITE, "Subtract 1 from a counter; returns the new value.", List.of(KEY),
                        a -> Request.cmd(Command.DECR).arg(a.key()), Results::integer)
                .operations();
    }

    static Request set(Args args) {
        Request request = Request.cmd(Command.SET).arg(args.key()).arg(args.value("value"));
        expiry(args, request);
        String condition = args.string("condition");
        if (condition != null) {
            request.arg(condition.toUpperCase(java.util.Locale.ROOT));
        }
        return request;
    }

    /** EX or PX from ttlSeconds / ttlMillis; giving both is ambiguous. */
    static void expiry(Args args, Request request) {
        Long seconds = args.integer("ttlSeconds");
        Long millis = args.integer("ttlMillis");
        if (seconds != null && millis != null) {
            throw args.invalid("ttlMillis", "give ttlSeconds or ttlMillis, not both");
        }
        if (seconds != null) {
            request.arg("EX").arg(positive(args, "ttlSeconds", seconds));
        } else if (millis != null) {
            request.arg("PX").arg(positive(args, "ttlMillis", millis));
        }
    }

    static long positive(Args args, String name, long value) {
        if (value <= 0) {
            throw args.invalid(name, "must be greater than 0, got " + value);
        }
        return value;
    }

    private static Request mset(Args args) {
        Request request = Request.cmd(Command.MSET);
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) args.object("entries")::fields) {
            request.arg(entry.getKey()).arg(args.encoding().encode(entry.getValue(), "entries." + entry.getKey()));
        }
        return request;
    }
}
