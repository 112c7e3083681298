package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.COUNT;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.KEYS;
import static dev.redisfn.command.Params.MEMBER;
import static dev.redisfn.command.Params.MEMBER_NAMES;
import static dev.redisfn.command.Params.MEMBER_OR_MEMBERS;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Sets: unordered unique members under one key. */
final class Sets {

    static final Param DESTINATION = Param.required("destination", ParamType.STRING, "The key to store the result in.");
    static final Param SOURCE = Param.required("source", ParamType.STRING, "The set to move from.");
    static final Param LIMIT = Param.optional("limit", ParamType.INTEGER, "Stop counting at this many (0: no limit).")
            .atLeast(0);

    private Sets() {
    }

    static List<Operation> operations() {
        return new Group("set")
                .op("SADD", WRITE, "Add members; returns how many were new.", Lists.withKey(MEMBER_OR_MEMBERS),
                        a -> Commands.keyAndStrings(Command.SADD, a.key(), a.stringsOrOne("members", "member")),
                        Results::integer)
                .op("SREM", WRITE, "Remove members; returns how many were there.", Lists.withKey(MEMBER_OR_MEMBERS),
                        a -> Commands.keyAndStrings(Command.SREM, a.key(), a.stringsOrOne("members", "member")),
                        Results::integer)
                .op("SMEMBERS", READ, "All members (no particular order).", List.of(KEY),
                        a -> Request.cmd(Command.SMEMBERS).arg(a.key()), Results::strings)
                .op("SISMEMBER", READ, "Whether member is in the set.", List.of(KEY, MEMBER),
                        a -> Request.cmd(Command.SISMEMBER).arg(a.key()).arg(a.string("member")), Results::bool)
                .op("SMISMEMBER", READ, "For each member, whether it is in the set.", List.of(KEY, MEMBER_NAMES),
                        a -> Commands.keyAndStrings(Command.SMISMEMBER, a.key(), a.strings("members")), Results::bools)
                .op("SCARD", READ, "How many members (0 when missing).", List.of(KEY),
                        a -> Request.cmd(Command.SCARD).arg(a.key()), Results::integer)
                .op("SPOP", WRITE, "Remove and return a random member (or count members as an array).",
                        List.of(KEY, Params.POP_COUNT), a -> Commands.keyAndCount(Command.SPOP, a), Sets::oneOrMany)
                .op("SRANDMEMBER", READ, "A random member (or count members; negative count allows repeats).",
                        List.of(KEY, Params.RANDOM_COUNT), a -> Commands.keyAndCount(Command.SRANDMEMBER, a), Sets::oneOrMany)
                .op("SMOVE", WRITE, "Move a member from source to destination; false if it was not in source.",
                        List.of(SOURCE, DESTINATION.describedAs("The set to move to."), MEMBER),
                        a -> Request.cmd(Command.SMOVE).arg(a.string("source")).arg(a.string("destination"))
                                .arg(a.string("member")), Results::bool)
                .oneSlot()
                .op("SINTER", READ, "Members present in every set.", List.of(KEYS),
                        a -> Commands.withKeys(Command.SINTER, a.keys()), Results::strings)
                .oneSlot()
                .op("SUNION", READ, "Members present in any set.", List.of(KEYS),
                        a -> Commands.withKeys(Command.SUNION, a.keys()), Results::strings)
                .oneSlot()
                .op("SDIFF", READ, "Members of the first set that are in none of the others.", List.of(KEYS),
                        a -> Commands.withKeys(Command.SDIFF, a.keys()), Results::strings)
                .oneSlot()
                .op("SINTERSTORE", WRITE, "Store the intersection in destination; returns its size.",
                        List.of(DESTINATION, KEYS), a -> store(Command.SINTERSTORE, a), Results::integer)
                .oneSlot()
                .op("SUNIONSTORE", WRITE, "Store the union in destination; returns its size.",
                        List.of(DESTINATION, KEYS), a -> store(Command.SUNIONSTORE, a), Results::integer)
                .oneSlot()
                .op("SDIFFSTORE", WRITE, "Store the difference in destination; returns its size.",
                        List.of(DESTINATION, KEYS), a -> store(Command.SDIFFSTORE, a), Results::integer)
                .oneSlot()
                .op("SINTERCARD", READ, "The size of the intersection (counting stops at limit).", List.of(KEYS, LIMIT),
                        Sets::sintercard, Results::integer)
                .oneSlot()
                .op("SSCAN", READ, "One page of members: {cursor, members}; pass the cursor back until it is \"0\".",
                        Scans.IN_KEY_PARAMS, a -> Scans.inKey(Command.SSCAN, a), Scans::setPage)
                .operations();
    }

    static Request store(Command command, Args args) {
        return Commands.keyAndStrings(command, args.string("destination"), args.keys());
    }

    private static JsonNode oneOrMany(Response reply, Args args) {
        return args.has("count") ? Results.strings(reply, args) : Results.text(reply, args);
    }

    private static Request sintercard(Args args) {
        Request request = Commands.numKeys(Request.cmd(Command.SINTERCARD), args.keys());
        return args.has("limit") ? request.arg("LIMIT").arg(args.digits("limit")) : request;
    }
}
