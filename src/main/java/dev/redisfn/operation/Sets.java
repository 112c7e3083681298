package dev.redisfn.operation;

import static dev.redisfn.operation.Access.READ;
import static dev.redisfn.operation.Access.WRITE;
import static dev.redisfn.operation.Params.KEY;
import static dev.redisfn.operation.Params.MEMBER;
import static dev.redisfn.operation.Params.MEMBER_OR_MEMBERS;

import java.util.List;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Sets: unordered unique members under one key. */
final class Sets {

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
                .operations();
    }
}
