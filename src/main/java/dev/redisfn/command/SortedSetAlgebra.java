package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEYS;
import static dev.redisfn.command.Params.WITH_SCORES;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.model.Fields;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * Sorted sets combined: union, intersection and difference, answered or stored in a destination.
 * Every key of one call must share a hash slot in cluster mode (a hash tag such as {@code {board}}).
 */
final class SortedSetAlgebra {

    static final Param DESTINATION = Param.required("destination", ParamType.STRING, "The key to store the result in.");
    static final Param WEIGHTS = Param.optional("weights", ParamType.ARRAY, "A weight per key (numbers).")
            .withItems("number");
    static final Param AGGREGATE = Param.optional("aggregate", ParamType.STRING, "How scores combine.")
            .oneOf("SUM", "MIN", "MAX");
    static final Param LIMIT = Param.optional("limit", ParamType.INTEGER, "Stop counting at this many (0: no limit).")
            .atLeast(0);

    private SortedSetAlgebra() {
    }

    static List<Operation> operations() {
        return new Group("sorted-set")
                .op("ZUNION", "ZUNION [WEIGHTS] [AGGREGATE] [WITHSCORES]", READ, "The union of sorted sets, lowest"
                        + " score first; withScores: [{member, score}].", List.of(KEYS, WEIGHTS, AGGREGATE, WITH_SCORES),
                        a -> Commands.withScores(combine(Request.cmd(Command.ZUNION), a), a), Results::membersOrScored)
                .oneSlot()
                .op("ZINTER", "ZINTER [WEIGHTS] [AGGREGATE] [WITHSCORES]", READ, "The members in every sorted set,"
                        + " lowest score first; withScores: [{member, score}].", List.of(KEYS, WEIGHTS, AGGREGATE, WITH_SCORES),
                        a -> Commands.withScores(combine(Request.cmd(Command.ZINTER), a), a), Results::membersOrScored)
                .oneSlot()
                .op("ZDIFF", "ZDIFF [WITHSCORES]", READ, "The members of the first sorted set in none of the others;"
                        + " withScores: [{member, score}].", List.of(KEYS, WITH_SCORES),
                        a -> Commands.withScores(Commands.numKeys(Request.cmd(Command.ZDIFF), a.keys()), a), Results::membersOrScored)
                .oneSlot()
                .op("ZUNIONSTORE", WRITE, "Store the union of sorted sets in destination; returns its size.",
                        List.of(DESTINATION, KEYS, WEIGHTS, AGGREGATE), a -> store(Command.ZUNIONSTORE, a), Results::integer)
                .oneSlot()
                .op("ZINTERSTORE", WRITE, "Store the intersection of sorted sets in destination; returns its size.",
                        List.of(DESTINATION, KEYS, WEIGHTS, AGGREGATE), a -> store(Command.ZINTERSTORE, a), Results::integer)
                .oneSlot()
                .op("ZDIFFSTORE", WRITE, "Store the difference (the first set's members in none of the others) in"
                        + " destination; returns its size.", List.of(DESTINATION, KEYS),
                        a -> Commands.numKeys(Request.cmd(Command.ZDIFFSTORE).arg(a.string("destination")), a.keys()), Results::integer)
                .oneSlot()
                .op("ZINTERCARD", "ZINTERCARD [LIMIT]", READ, "The size of the intersection (counting stops at limit).",
                        List.of(KEYS, LIMIT), a -> {
                            Request request = Commands.numKeys(Request.cmd(Command.ZINTERCARD), a.keys());
                            return a.has("limit") ? request.arg("LIMIT").arg(a.digits("limit")) : request;
                        }, Results::integer)
                .oneSlot()
                .operations();
    }

    private static Request store(Command command, Args args) {
        return combine(Request.cmd(command).arg(args.string("destination")), args);
    }

    /** numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]. */
    private static Request combine(Request request, Args args) {
        Commands.numKeys(request, args.keys());
        JsonNode weights = args.raw("weights");
        if (weights != null && !weights.isNull()) {
            int keys = args.keys().size();
            if (!weights.isArray() || weights.size() != keys) {
                throw args.invalid("weights", "expected one number per key (" + keys + ")");
            }
            request.arg("WEIGHTS");
            Fields fields = Fields.request("params.");
            for (int i = 0; i < weights.size(); i++) {
                Double weight = fields.number(weights.get(i), "weights[" + i + "]");
                if (weight == null) {
                    throw args.invalid("weights", "weights[" + i + "] is null; expected one number per key");
                }
                request.arg(Commands.score(weight));
            }
        }
        String aggregate = args.string("aggregate");
        return aggregate == null ? request : request.arg("AGGREGATE").arg(aggregate.toUpperCase(Locale.ROOT));
    }
}
