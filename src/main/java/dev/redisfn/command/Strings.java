package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.INCREMENT;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.KEYS;
import static dev.redisfn.command.Params.TTL_MILLIS;
import static dev.redisfn.command.Params.TTL_SECONDS;
import static dev.redisfn.command.Params.VALUE_PARAM;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** String values and counters. */
final class Strings {

    static final Param CONDITION = Param.optional("condition", ParamType.STRING,
            "NX: only if the key does not exist; XX: only if it exists.").oneOf("NX", "XX");
    static final Param ENTRIES = Param.required("entries", ParamType.OBJECT, "Keys mapped to the values to store.");

    private Strings() {
    }

    static final Param EXPIRE_AT = Param.optional("unixSeconds", ParamType.INTEGER, "Expire at this Unix time (seconds).")
            .atLeast(1);
    /** SET, SETEX and GETEX take a time to live that is one; EXPIRE's 0 or less deletes the key. */
    private static final Param SET_TTL_SECONDS = TTL_SECONDS.atLeast(1);
    private static final Param SET_TTL_MILLIS = TTL_MILLIS.atLeast(1);
    static final Param KEEP_TTL = Param.optional("keepTtl", ParamType.BOOLEAN, "Keep the key's current expiry.")
            .withDefault(false);
    static final Param RETURN_OLD = Param.optional("get", ParamType.BOOLEAN,
            "Return the previous value (or null) instead of true/false.").withDefault(false);
    static final Param PERSIST = Param.optional("persist", ParamType.BOOLEAN, "Remove the expiry.").withDefault(false);
    static final Param FLOAT_INCREMENT = Param.required("increment", ParamType.NUMBER, "The amount to add (may be fractional).");
    static final Param DECREMENT = Param.optional("decrement", ParamType.INTEGER, "The amount to subtract.")
            .withDefault(1L);
    static final Param OFFSET = Param.required("offset", ParamType.INTEGER, "Byte offset.").atLeast(0);
    /** Redis' own bound: a string holds at most 512 MB, 2^32 bits. */
    static final Param BIT_OFFSET = Param.required("offset", ParamType.INTEGER, "Bit offset.").between(0, (1L << 32) - 1);
    static final Param BIT = Param.required("bit", ParamType.INTEGER, "0 or 1.").between(0, 1);
    static final Param RANGE_START = Param.optional("start", ParamType.INTEGER, "First byte (negative counts from the end).");
    static final Param RANGE_END = Param.optional("end", ParamType.INTEGER, "Last byte, inclusive.");
    static final Param BIT_UNIT = Param.optional("unit", ParamType.STRING, "Whether start/end count BYTEs or BITs.")
            .oneOf("BYTE", "BIT");

    private static final List<Param> SET_PARAMS = List.of(KEY, VALUE_PARAM, SET_TTL_SECONDS, SET_TTL_MILLIS, EXPIRE_AT, KEEP_TTL,
            CONDITION, RETURN_OLD);

    static List<Operation> operations() {
        return new Group("string")
                .op("GET", READ, "The value of a key, or null.", List.of(KEY),
                        a -> Request.cmd(Command.GET).arg(a.key()), Results::value)
                .op("SET", "SET [EX|PX|EXAT|KEEPTTL] [NX|XX] [GET]", WRITE,
                        "Store a value; true when written, false when the condition (NX/XX) prevented it "
                                + "(with get: the previous value).", SET_PARAMS, Strings::set, Strings::setResult)
                .op("SETNX", WRITE, "Store a value only if the key does not exist; true when written.",
                        List.of(KEY, VALUE_PARAM),
                        a -> Request.cmd(Command.SETNX).arg(a.key()).arg(a.value("value")), Results::bool)
                .op("SETEX", WRITE, "Store a value with a time to live in seconds.",
                        List.of(KEY, VALUE_PARAM, SET_TTL_SECONDS.asRequired()),
                        a -> Request.cmd(Command.SETEX).arg(a.key()).arg(a.digits("ttlSeconds"))
                                .arg(a.value("value")), Results::bool)
                .op("GETSET", WRITE, "Store a value and return the previous one (or null).", List.of(KEY, VALUE_PARAM),
                        a -> Request.cmd(Command.GETSET).arg(a.key()).arg(a.value("value")), Results::value)
                .op("GETDEL", WRITE, "Return a value and delete the key.", List.of(KEY),
                        a -> Request.cmd(Command.GETDEL).arg(a.key()), Results::value)
                .op("GETEX", WRITE, "Return a value and set (or remove, with persist) its expiry.",
                        List.of(KEY, SET_TTL_SECONDS, SET_TTL_MILLIS, EXPIRE_AT, PERSIST), Strings::getex, Results::value)
                .split("MGET", READ, "The values of several keys, in the order asked; null for missing keys.",
                        List.of(KEYS), Command.MGET, Results::values, Operation.ClusterRule.SPLIT_CONCAT)
                .op("MSET", WRITE, "Store several keys at once (in cluster mode: atomically per slot only).",
                        List.of(ENTRIES), a -> entries(Command.MSET, a), Results::bool)
                .splitEntries(Command.MSET)
                .op("MSETNX", WRITE, "Store several keys only if none exists; true when written.", List.of(ENTRIES),
                        a -> entries(Command.MSETNX, a), Results::bool)
                .oneSlot()
                .op("APPEND", WRITE, "Append to a value; returns the new length.", List.of(KEY, VALUE_PARAM),
                        a -> Request.cmd(Command.APPEND).arg(a.key()).arg(a.value("value")), Results::integer)
                .op("STRLEN", READ, "The length of a value in bytes (0 when missing).", List.of(KEY),
                        a -> Request.cmd(Command.STRLEN).arg(a.key()), Results::integer)
                .op("GETRANGE", READ, "The bytes of a value between start and end (inclusive).",
                        List.of(KEY, RANGE_START.asRequired(), RANGE_END.asRequired()),
                        a -> Request.cmd(Command.GETRANGE).arg(a.key()).arg(a.digits("start")).arg(a.digits("end")),
                        Results::value)
                .op("SETRANGE", WRITE, "Overwrite part of a value from offset; returns the new length.",
                        List.of(KEY, OFFSET, VALUE_PARAM),
                        a -> Request.cmd(Command.SETRANGE).arg(a.key()).arg(a.digits("offset")).arg(a.value("value")),
                        Results::integer)
                .op("INCR", WRITE, "Add 1 to a counter; returns the new value.", List.of(KEY),
                        a -> Request.cmd(Command.INCR).arg(a.key()), Results::integer)
                .op("INCRBY", WRITE, "Add an integer to a counter; returns the new value.",
                        List.of(KEY, INCREMENT.asRequired()),
                        a -> Request.cmd(Command.INCRBY).arg(a.key()).arg(a.digits("increment")), Results::integer)
                .op("INCRBYFLOAT", WRITE, "Add a number to a counter; returns the new value.",
                        List.of(KEY, FLOAT_INCREMENT),
                        a -> Request.cmd(Command.INCRBYFLOAT).arg(a.key()).arg(a.decimal("increment")),
                        Results::decimal)
                .op("DECR", WRITE, "Subtract 1 from a counter; returns the new value.", List.of(KEY),
                        a -> Request.cmd(Command.DECR).arg(a.key()), Results::integer)
                .op("DECRBY", WRITE, "Subtract an integer from a counter; returns the new value.",
                        List.of(KEY, DECREMENT),
                        a -> Request.cmd(Command.DECRBY).arg(a.key()).arg(a.digits("decrement")), Results::integer)
                .op("SETBIT", WRITE, "Set one bit; returns its previous value (0/1).", List.of(KEY, BIT_OFFSET, BIT),
                        a -> Request.cmd(Command.SETBIT).arg(a.key()).arg(a.digits("offset")).arg(a.digits("bit")),
                        Results::integer)
                .op("GETBIT", READ, "The bit at offset (0/1).", List.of(KEY, BIT_OFFSET),
                        a -> Request.cmd(Command.GETBIT).arg(a.key()).arg(a.digits("offset")), Results::integer)
                .op("BITCOUNT", READ, "How many bits are set, optionally between start and end.",
                        List.of(KEY, RANGE_START, RANGE_END, BIT_UNIT), a -> bitRange(Command.BITCOUNT, a, null),
                        Results::integer)
                .op("BITOP", "BITOP AND|OR|XOR|NOT", WRITE, "Store the bitwise combination of keys (NOT: of one"
                        + " key) in destination; returns its length in bytes.", List.of(Param.required("operator",
                                ParamType.STRING, "The bitwise operator.").oneOf("AND", "OR", "XOR", "NOT"),
                                SortedSetAlgebra.DESTINATION, Params.KEYS), Strings::bitop, Results::integer)
                .oneSlot()
                .op("BITPOS", READ, "The position of the first bit set to bit (0/1), or -1.",
                        List.of(KEY, BIT, RANGE_START, RANGE_END, BIT_UNIT), a -> bitRange(Command.BITPOS, a, a.integer("bit")),
                        Results::integer)
                .operations();
    }

    static Request set(Args args) {
        Request request = Request.cmd(Command.SET).arg(args.key()).arg(args.value("value"));
        boolean expires = expiry(args, request);
        if (args.flag("keepTtl")) {
            if (expires) {
                throw args.invalid("keepTtl", "cannot be combined with ttlSeconds, ttlMillis or unixSeconds");
            }
            request.arg("KEEPTTL");
        }
        String condition = args.string("condition");
        if (condition != null) {
            request.arg(condition.toUpperCase(Locale.ROOT));
        }
        return args.flag("get") ? request.arg("GET") : request;
    }

    private static JsonNode setResult(Response reply, Args args) {
        return args.flag("get") ? Results.value(reply, args) : Results.bool(reply, args);
    }

    /** EX, PX or EXAT from ttlSeconds / ttlMillis / unixSeconds; more than one is ambiguous. Returns whether one was set. */
    static boolean expiry(Args args, Request request) {
        Long seconds = args.integer("ttlSeconds");
        Long millis = args.integer("ttlMillis");
        Long at = args.has("unixSeconds") ? args.integer("unixSeconds") : null;
        int given = (seconds != null ? 1 : 0) + (millis != null ? 1 : 0) + (at != null ? 1 : 0);
        if (given > 1) {
            throw args.invalid(millis != null ? "ttlMillis" : "unixSeconds", "give one of ttlSeconds, ttlMillis, unixSeconds");
        }
        if (seconds != null) {
            request.arg("EX").arg(Long.toString(seconds));
        } else if (millis != null) {
            request.arg("PX").arg(Long.toString(millis));
        } else if (at != null) {
            request.arg("EXAT").arg(Long.toString(at));
        }
        return given == 1;
    }

    private static Request getex(Args args) {
        Request request = Request.cmd(Command.GETEX).arg(args.key());
        boolean expires = expiry(args, request);
        if (args.flag("persist")) {
            if (expires) {
                throw args.invalid("persist", "cannot be combined with an expiry");
            }
            request.arg("PERSIST");
        }
        return request;
    }

    private static Request bitop(Args args) {
        String operator = args.string("operator").toUpperCase(Locale.ROOT);
        if (operator.equals("NOT") && args.keys().size() != 1) {
            throw args.invalid("keys", "NOT takes exactly one key, got " + args.keys().size());
        }
        Request request = Request.cmd(Command.BITOP).arg(operator).arg(args.string("destination"));
        args.keys().forEach(request::arg);
        return request;
    }

    private static Request bitRange(Command command, Args args, Long bit) {
        Request request = Request.cmd(command).arg(args.key());
        if (bit != null) {
            request.arg(Long.toString(bit));
        }
        boolean hasStart = args.has("start");
        boolean hasEnd = args.has("end");
        if (hasEnd && !hasStart) {
            throw args.invalid("start", "required when end is given");
        }
        if (hasStart) {
            request.arg(args.digits("start"));
            // BITCOUNT takes start only with an end; "to the end" is -1
            if (hasEnd || args.has("unit") || command == Command.BITCOUNT) {
                request.arg(Long.toString(hasEnd ? args.integer("end") : -1L));
            }
            String unit = args.string("unit");
            if (unit != null) {
                request.arg(unit.toUpperCase(Locale.ROOT));
            }
        }
        return request;
    }

    private static Request entries(Command command, Args args) {
        Request request = Request.cmd(command);
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) args.object("entries")::fields) {
            request.arg(entry.getKey()).arg(args.encoding().encode(entry.getValue(), "entries." + entry.getKey()));
        }
        return request;
    }

    /** The same command for some of the entries: one slot's share in cluster mode. */
    static Request entries(Command command, Args args, List<String> keys) {
        Request request = Request.cmd(command);
        for (String key : keys) {
            request.arg(key).arg(args.encoding().encode(args.object("entries").get(key), "entries." + key));
        }
        return request;
    }
}
