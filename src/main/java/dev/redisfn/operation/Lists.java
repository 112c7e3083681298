package dev.redisfn.operation;

import static dev.redisfn.operation.Access.READ;
import static dev.redisfn.operation.Access.WRITE;
import static dev.redisfn.operation.Params.COUNT;
import static dev.redisfn.operation.Params.KEY;
import static dev.redisfn.operation.Params.START;
import static dev.redisfn.operation.Params.STOP;
import static dev.redisfn.operation.Params.VALUE_OR_VALUES;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Lists: ordered values under one key. */
final class Lists {

    private Lists() {
    }

    static List<Operation> operations() {
        return new Group("list")
                .op("LPUSH", WRITE, "Insert values at the head; returns the new length.", withKey(VALUE_OR_VALUES),
                        a -> Commands.keyAndValues(Command.LPUSH, a.key(), a.valuesOrOne()), Results::integer)
                .op("RPUSH", WRITE, "Append values at the tail; returns the new length.", withKey(VALUE_OR_VALUES),
                        a -> Commands.keyAndValues(Command.RPUSH, a.key(), a.valuesOrOne()), Results::integer)
                .op("LPOP", WRITE, "Remove and return the first value (or the first count values as an array).",
                        List.of(KEY, COUNT), a -> pop(Command.LPOP, a), Lists::popResult)
                .op("RPOP", WRITE, "Remove and return the last value (or the last count values as an array).",
                        List.of(KEY, COUNT), a -> pop(Command.RPOP, a), Lists::popResult)
                .op("LRANGE", READ, "Values between start and stop (inclusive; -1 is the last).",
                        List.of(KEY, START, STOP),
                        a -> Request.cmd(Command.LRANGE).arg(a.key()).arg(a.integer("start")).arg(a.integer("stop")),
                        Results::values)
                .operations();
    }

    static List<Param> withKey(List<Param> params) {
        List<Param> all = new ArrayList<>();
        all.add(KEY);
        all.addAll(params);
        return all;
    }

    private static Request pop(Command command, Args args) {
        Request request = Request.cmd(command).arg(args.key());
        Long count = args.integer("count");
        if (count != null) {
            request.arg(Strings.positive(args, "count", count));
        }
        return request;
    }

    private static JsonNode popResult(Response reply, Args args) {
        if (args.has("count")) {
            return reply == null ? Results.JSON.arrayNode() : Results.values(reply, args);
        }
        return Results.value(reply, args);
    }
}
