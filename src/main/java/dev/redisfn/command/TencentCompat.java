package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.FIELD;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.VALUE_PARAM;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The operations of the Tencent Cloud iPaaS Redis connector (product doc 1270/55479) whose flags or
 * payload differ from the catalogue's own: each takes Tencent's flags and answers the payload Tencent
 * documents, so flows built for that connector migrate with {@code "output": "tencent"}. Tencent's
 * other operations (del, get, llen, sadd ...) are served by the catalogue entries of the same name.
 * Tencent names that are Redis commands are declared here as {@code tencent.<name>}.
 */
final class TencentCompat {

    private static final String COMPATIBLE = "Tencent iPaaS connector compatible: ";

    static final Param UNIT = Param.optional("unit", ParamType.STRING,
            COMPATIBLE + "the time unit, seconds or milliseconds.").withDefault("seconds").oneOf("seconds", "milliseconds");
    static final Param TTL = Param.required("ttl", ParamType.INTEGER, COMPATIBLE + "the time to live, in unit.");
    static final Param TIMESTAMP = Param.required("timestamp", ParamType.INTEGER,
            COMPATIBLE + "the moment the key expires, a Unix timestamp in unit.");
    static final Param SET_TTL = Params.TTL_SECONDS.withDefault(0L)
            .describedAs(COMPATIBLE + "time to live in seconds; 0 (the default) sets no expiry.");
    static final Param ONLY_IF_ABSENT = Param.optional("onlyIfAbsent", ParamType.BOOLEAN,
            COMPATIBLE + "do nothing when the key exists (Tencent's setnx: SET ... NX).").withDefault(false);
    static final Param INCREMENT = Param.required("increment", ParamType.NUMBER,
            COMPATIBLE + "the amount to add; a whole number unless numberType is float.");
    static final Param NUMBER_TYPE = Param.optional("numberType", ParamType.STRING,
            COMPATIBLE + "int adds a whole number (INCRBY), float a fractional one (INCRBYFLOAT).")
            .withDefault("int").oneOf("int", "float");
    static final Param PUSH_LEFT = Param.optional("left", ParamType.BOOLEAN,
            COMPATIBLE + "insert at the head (LPUSH) instead of the tail (RPUSH).").withDefault(false);
    static final Param ONLY_IF_EXISTS = Param.optional("onlyIfExists", ParamType.BOOLEAN,
            COMPATIBLE + "do nothing when the list does not exist (LPUSHX/RPUSHX).").withDefault(false);
    static final Param POP_LEFT = Param.optional("left", ParamType.BOOLEAN,
            COMPATIBLE + "remove the head (LPOP) instead of the tail (RPOP).").withDefault(false);
    static final Param ONLY_IF_FIELD_ABSENT = Param.optional("onlyIfFieldAbsent", ParamType.BOOLEAN,
            COMPATIBLE + "do nothing when the field exists (HSETNX).").withDefault(false);
    static final Param ASCENDING = Param.optional("ascending", ParamType.BOOLEAN,
            COMPATIBLE + "lowest score first; false: highest first (the ZREV... command).").withDefault(true);

    private TencentCompat() {
    }

    static List<Operation> operations() {
        return new Group("tencent")
                .op("tencent.exists", "EXISTS", READ, COMPATIBLE + "exists — 1 when the key exists, 0 when not.",
                        List.of(KEY), a -> Request.cmd(Command.EXISTS).arg(a.key()), Results::integer)
                .op("tencent.expire", "EXPIRE|PEXPIRE", WRITE, COMPATIBLE + "expire/pexpire — set a key's time to "
                        + "live in unit; true when set, false when the key does not exist.",
                        List.of(KEY, TTL, UNIT), a -> timed(a, Command.EXPIRE, Command.PEXPIRE, "ttl"), Results::bool)
                .op("tencent.expireat", "EXPIREAT|PEXPIREAT", WRITE, COMPATIBLE + "expireat/pexpireat — expire a key "
                        + "at a Unix timestamp in unit; true when set, false when the key does not exist.",
                        List.of(KEY, TIMESTAMP, UNIT), a -> timed(a, Command.EXPIREAT, Command.PEXPIREAT, "timestamp"),
                        Results::bool)
                .op("tencent.ttl", "TTL|PTTL", READ, COMPATIBLE + "ttl/pttl — time left to live in unit: -1 without "
                        + "expiry, -2 when the key does not exist.",
                        List.of(KEY, UNIT), a -> Request.cmd(millis(a) ? Command.PTTL : Command.TTL).arg(a.key()),
                        Results::integer)
                .op("tencent.set", "SET [EX] [NX]", WRITE, COMPATIBLE + "set/setnx — store a value, optionally with a "
                        + "time to live; \"OK\" when written, false when onlyIfAbsent found the key.",
                        List.of(KEY, VALUE_PARAM, SET_TTL, ONLY_IF_ABSENT), TencentCompat::set, TencentCompat::okOrFalse)
                .op("tencent.incrby", "INCRBY|INCRBYFLOAT", WRITE, COMPATIBLE + "incrby/incrbyfloat — add to a "
                        + "counter; returns the new value.", List.of(KEY, INCREMENT, NUMBER_TYPE),
                        a -> add(a, Request.cmd(isFloat(a) ? Command.INCRBYFLOAT : Command.INCRBY).arg(a.key())),
                        TencentCompat::addResult)
                .op("push-to-list", "LPUSH|RPUSH|LPUSHX|RPUSHX", WRITE, COMPATIBLE + "push-to-list — insert a value at "
                        + "the tail, or the head with left; with onlyIfExists only into an existing list. Returns the "
                        + "list's new length (0 when onlyIfExists found no list).",
                        List.of(KEY, VALUE_PARAM, PUSH_LEFT, ONLY_IF_EXISTS), TencentCompat::push, Results::integer)
                .op("pop-from-list", "LPOP|RPOP", WRITE, COMPATIBLE + "pop-from-list — remove and return the last "
                        + "value, or the first with left; null when the list is empty or missing.",
                        List.of(KEY, POP_LEFT), a -> Request.cmd(a.flag("left") ? Command.LPOP : Command.RPOP).arg(a.key()),
                        Results::value)
                .op("tencent.lset", "LSET", WRITE, COMPATIBLE + "lset — replace the value at index; returns \"OK\".",
                        List.of(KEY, Lists.INDEX, VALUE_PARAM),
                        a -> Request.cmd(Command.LSET).arg(a.key()).arg(a.digits("index")).arg(a.value("value")),
                        Results::text)
                .op("tencent.hset", "HSET|HSETNX", WRITE, COMPATIBLE + "hset/hsetnx — set one field; true when the "
                        + "field is new, false when an existing value was replaced or onlyIfFieldAbsent left it.",
                        List.of(KEY, FIELD, VALUE_PARAM, ONLY_IF_FIELD_ABSENT),
                        a -> Request.cmd(a.flag("onlyIfFieldAbsent") ? Command.HSETNX : Command.HSET).arg(a.key())
                                .arg(a.string("field")).arg(a.value("value")), Results::bool)
                .op("tencent.hincrby", "HINCRBY|HINCRBYFLOAT", WRITE, COMPATIBLE + "hincrby/hincrbyfloat — add to a "
                        + "field (1 by default); returns the field's new value.",
                        List.of(KEY, FIELD, INCREMENT.withDefault(1L), NUMBER_TYPE),
                        a -> add(a, Request.cmd(isFloat(a) ? Command.HINCRBYFLOAT : Command.HINCRBY).arg(a.key())
                                .arg(a.string("field"))), TencentCompat::addResult)
                .op("tencent.zrange", "ZRANGE|ZREVRANGE", READ, COMPATIBLE + "zrange/zrevrange — the members ranked "
                        + "start..stop, lowest score first (highest with ascending false).",
                        List.of(KEY, Params.START.asRequired(), Params.STOP.asRequired(), ASCENDING),
                        a -> Request.cmd(a.flag("ascending") ? Command.ZRANGE : Command.ZREVRANGE).arg(a.key())
                                .arg(a.digits("start")).arg(a.digits("stop")), Results::strings)
                .op("tencent.zrangebyscore", "ZRANGEBYSCORE|ZREVRANGEBYSCORE", READ, COMPATIBLE
                        + "zrangebyscore/zrevrangebyscore — the members with min <= score <= max, lowest score first "
                        + "(highest with ascending false).",
                        List.of(KEY, SortedSets.MIN.asRequired(), SortedSets.MAX.asRequired(), ASCENDING),
                        TencentCompat::byScore, Results::strings)
                .operations();
    }

    private static boolean millis(Args args) {
        return args.string("unit").toLowerCase(Locale.ROOT).equals("milliseconds");
    }

    private static Request timed(Args args, Command seconds, Command milliseconds, String amount) {
        return Request.cmd(millis(args) ? milliseconds : seconds).arg(args.key()).arg(args.digits(amount));
    }

    private static Request set(Args args) {
        Request request = Request.cmd(Command.SET).arg(args.key()).arg(args.value("value"));
        long ttl = args.integer("ttlSeconds");
        if (ttl < 0) {
            throw args.invalid("ttlSeconds", "must be 0 (no expiry) or more, got " + ttl);
        }
        if (ttl > 0) {
            request.arg("EX").arg(Long.toString(ttl));
        }
        return args.flag("onlyIfAbsent") ? request.arg("NX") : request;
    }

    /** Tencent's set payload: the string "OK" when written, the boolean false when NX prevented it. */
    private static JsonNode okOrFalse(Response reply, Args args) {
        return Results.truth(reply) ? Results.JSON.textNode("OK") : Results.JSON.booleanNode(false);
    }

    private static boolean isFloat(Args args) {
        return args.string("numberType").toLowerCase(Locale.ROOT).equals("float");
    }

    /** The increment as the command wants it: a whole number for INCRBY/HINCRBY (a fraction is refused). */
    private static Request add(Args args, Request request) {
        return isFloat(args) ? request.arg(args.decimal("increment"))
                : request.arg(args.digits("increment"));
    }

    private static JsonNode addResult(Response reply, Args args) {
        return isFloat(args) ? Results.decimal(reply, args) : Results.integer(reply, args);
    }

    private static Request push(Args args) {
        boolean left = args.flag("left");
        Command command = args.flag("onlyIfExists") ? (left ? Command.LPUSHX : Command.RPUSHX)
                : (left ? Command.LPUSH : Command.RPUSH);
        return Request.cmd(command).arg(args.key()).arg(args.value("value"));
    }

    private static Request byScore(Args args) {
        boolean ascending = args.flag("ascending");
        return Request.cmd(ascending ? Command.ZRANGEBYSCORE : Command.ZREVRANGEBYSCORE).arg(args.key())
                .arg(Bounds.score(args, ascending ? "min" : "max")).arg(Bounds.score(args, ascending ? "max" : "min"));
    }
}
