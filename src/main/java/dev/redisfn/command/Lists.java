package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.COUNT;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.START;
import static dev.redisfn.command.Params.STOP;
import static dev.redisfn.command.Params.VALUE_OR_VALUES;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Lists: ordered values under one key. */
final class Lists {

    private Lists() {
    }

    static final Param INDEX = Param.required("index", ParamType.INTEGER, "Position (0-based; negative counts from the end).");
    static final Param PIVOT = Param.required("pivot", ParamType.VALUE, "The existing value to insert next to.");
    static final Param POSITION = Param.optional("position", ParamType.STRING, "Insert BEFORE or AFTER the pivot.")
            .withDefault("BEFORE").oneOf("BEFORE", "AFTER");
    static final Param REMOVE_COUNT = Param.optional("count", ParamType.INTEGER,
            "How many to remove: >0 from the head, <0 from the tail, 0 all.").withDefault(0L);
    static final Param RANK = Param.optional("rank", ParamType.INTEGER, "Which match to return (1 = first, -1 = last).");
    static final Param MAX_LEN = Param.optional("maxLen", ParamType.INTEGER, "Compare at most this many elements (0: all).")
            .atLeast(0);
    static final Param SOURCE = Param.required("source", ParamType.STRING, "The list to take from.");
    static final Param DESTINATION = Param.required("destination", ParamType.STRING, "The list to put into.");
    static final Param FROM = Param.optional("from", ParamType.STRING, "Take from the LEFT (head) or RIGHT (tail).")
            .withDefault("LEFT").oneOf("LEFT", "RIGHT");
    static final Param TO = Param.optional("to", ParamType.STRING, "Put at the LEFT (head) or RIGHT (tail).")
            .withDefault("RIGHT").oneOf("LEFT", "RIGHT");

    static List<Operation> operations() {
        return new Group("list")
                .op("LPUSH", WRITE, "Insert values at the head; returns the new length.", withKey(VALUE_OR_VALUES),
                        a -> Commands.keyAndValues(Command.LPUSH, a.key(), a.valuesOrOne()), Results::integer)
                .op("RPUSH", WRITE, "Append values at the tail; returns the new length.", withKey(VALUE_OR_VALUES),
                        a -> Commands.keyAndValues(Command.RPUSH, a.key(), a.valuesOrOne()), Results::integer)
                .op("LPUSHX", WRITE, "Insert at the head only if the list exists; returns the length (0 when missing).",
                        withKey(VALUE_OR_VALUES),
                        a -> Commands.keyAndValues(Command.LPUSHX, a.key(), a.valuesOrOne()), Results::integer)
                .op("RPUSHX", WRITE, "Append at the tail only if the list exists; returns the length (0 when missing).",
                        withKey(VALUE_OR_VALUES),
                        a -> Commands.keyAndValues(Command.RPUSHX, a.key(), a.valuesOrOne()), Results::integer)
                .op("LPOP", WRITE, "Remove and return the first value (or the first count values as an array).",
                        List.of(KEY, Params.POP_COUNT), a -> Commands.keyAndCount(Command.LPOP, a), Lists::popResult)
                .op("RPOP", WRITE, "Remove and return the last value (or the last count values as an array).",
                        List.of(KEY, Params.POP_COUNT), a -> Commands.keyAndCount(Command.RPOP, a), Lists::popResult)
                .op("LRANGE", READ, "Values between start and stop (inclusive; -1 is the last).",
                        List.of(KEY, START, STOP),
                        a -> Request.cmd(Command.LRANGE).arg(a.key()).arg(a.digits("start")).arg(a.digits("stop")),
                        Results::values)
                .op("LLEN", READ, "The length of a list (0 when missing).", List.of(KEY),
                        a -> Request.cmd(Command.LLEN).arg(a.key()), Results::integer)
                .op("LINDEX", READ, "The value at index, or null.", List.of(KEY, INDEX),
                        a -> Request.cmd(Command.LINDEX).arg(a.key()).arg(a.digits("index")), Results::value)
                .op("LSET", WRITE, "Replace the value at index.", List.of(KEY, INDEX, Params.VALUE_PARAM),
                        a -> Request.cmd(Command.LSET).arg(a.key()).arg(a.digits("index")).arg(a.value("value")),
                        Results::bool)
                .op("LINSERT", WRITE, "Insert a value before or after pivot; returns the new length, -1 without pivot.",
                        List.of(KEY, POSITION, PIVOT, Params.VALUE_PARAM),
                        a -> Request.cmd(Command.LINSERT).arg(a.key()).arg(a.string("position").toUpperCase(Locale.ROOT))
                                .arg(a.value("pivot")).arg(a.value("value")), Results::integer)
                .op("LREM", WRITE, "Remove occurrences of a value; returns how many were removed.",
                        List.of(KEY, REMOVE_COUNT, Params.VALUE_PARAM),
                        a -> Request.cmd(Command.LREM).arg(a.key()).arg(a.digits("count")).arg(a.value("value")),
                        Results::integer)
                .op("LTRIM", WRITE, "Keep only the values between start and stop.", List.of(KEY, START, STOP),
                        a -> Request.cmd(Command.LTRIM).arg(a.key()).arg(a.digits("start")).arg(a.digits("stop")),
                        Results::bool)
                .op("LPOS", READ, "The index of a value (or the indexes of count matches), null when absent.",
                        List.of(KEY, Params.VALUE_PARAM, RANK, COUNT.atLeast(0), MAX_LEN), Lists::lpos, Lists::lposResult)
                .op("LMOVE", WRITE, "Move one value from source to destination; returns it (null when source is empty).",
                        List.of(SOURCE, DESTINATION, FROM, TO),
                        a -> Request.cmd(Command.LMOVE).arg(a.string("source")).arg(a.string("destination"))
                                .arg(a.string("from").toUpperCase(Locale.ROOT)).arg(a.string("to").toUpperCase(Locale.ROOT)),
                        Results::value)
                .oneSlot()
                .op("LMPOP", "LMPOP numkeys key... LEFT|RIGHT [COUNT]", WRITE, "Pop from the first non-empty list of"
                        + " keys: {key, values}, or null when every list is empty.",
                        List.of(Params.KEYS, FROM.describedAs("Pop from the LEFT (head) or RIGHT (tail)."),
                                Params.POP_COUNT.describedAs("How many to pop from that list (default 1).")),
                        a -> multiPop(Command.LMPOP, a, a.string("from")), Lists::multiPopped)
                .oneSlot()
                .op("RPOPLPUSH", WRITE, "Move the last value of source to the head of destination; returns it.",
                        List.of(SOURCE, DESTINATION),
                        a -> Request.cmd(Command.RPOPLPUSH).arg(a.string("source")).arg(a.string("destination")),
                        Results::value)
                .oneSlot()
                .operations();
    }

    private static Request lpos(Args args) {
        Request request = Request.cmd(Command.LPOS).arg(args.key()).arg(args.value("value"));
        if (args.has("rank")) {
            if (args.integer("rank") == 0) {
                throw args.invalid("rank", "must not be 0: 1 is the first match, -1 the last");
            }
            request.arg("RANK").arg(args.digits("rank"));
        }
        if (args.has("count")) {
            request.arg("COUNT").arg(args.digits("count"));
        }
        if (args.has("maxLen")) {
            request.arg("MAXLEN").arg(args.digits("maxLen"));
        }
        return request;
    }

    private static JsonNode lposResult(Response reply, Args args) {
        return args.has("count") ? Results.integers(reply, args) : Results.integer(reply, args);
    }

    static List<Param> withKey(List<Param> params) {
        List<Param> all = new ArrayList<>();
        all.add(KEY);
        all.addAll(params);
        return all;
    }

    /** LMPOP and ZMPOP: numkeys key... side [COUNT n]. */
    static Request multiPop(Command command, Args args, String side) {
        Request request = Commands.numKeys(Request.cmd(command), args.keys()).arg(side.toUpperCase(Locale.ROOT));
        return args.has("count") ? request.arg("COUNT").arg(args.digits("count")) : request;
    }

    /** [key, [values]] or nil as {key, values} or null. */
    private static JsonNode multiPopped(Response reply, Args args) {
        if (reply == null) {
            return Results.JSON.nullNode();
        }
        ObjectNode popped = Results.JSON.objectNode().put("key", Results.utf8(reply.get(0)));
        popped.set("values", Results.values(reply.get(1), args));
        return popped;
    }

    private static JsonNode popResult(Response reply, Args args) {
        if (args.has("count")) {
            return reply == null ? Results.JSON.arrayNode() : Results.values(reply, args);
        }
        return Results.value(reply, args);
    }
}
