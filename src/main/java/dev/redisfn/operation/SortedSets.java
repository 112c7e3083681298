package dev.redisfn.operation;

import static dev.redisfn.operation.Access.READ;
import static dev.redisfn.operation.Access.WRITE;
import static dev.redisfn.operation.Params.KEY;
import static dev.redisfn.operation.Params.MEMBER;
import static dev.redisfn.operation.Params.MEMBER_OR_MEMBERS;
import static dev.redisfn.operation.Params.START;
import static dev.redisfn.operation.Params.STOP;
import static dev.redisfn.operation.Params.WITH_SCORES;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Sorted sets: members ordered by score. */
final class SortedSets {

    static final Param SCORED_MEMBERS = Param.optional("members", ParamType.ARRAY,
            "Members with scores: [{\"member\": \"a\", \"score\": 1.5}] (or give member + score).");

    private SortedSets() {
    }

    static List<Operation> operations() {
        return new Group("sorted-set")
                .op("ZADD", WRITE, "Add members with scores (or update their scores); returns how many were new.",
                        List.of(KEY, SCORED_MEMBERS, MEMBER.asOptional(), Params.SCORE.asOptional()),
                        SortedSets::zadd, Results::integer)
                .op("ZRANGE", READ, "Members between start and stop by rank; withScores adds the scores.",
                        List.of(KEY, START, STOP, WITH_SCORES), SortedSets::zrange, Results::membersOrScored)
                .op("ZSCORE", READ, "The score of a member, or null.", List.of(KEY, MEMBER),
                        a -> Request.cmd(Command.ZSCORE).arg(a.key()).arg(a.string("member")), Results::number)
                .op("ZREM", WRITE, "Remove members; returns how many were there.",
                        Lists.withKey(MEMBER_OR_MEMBERS),
                        a -> Commands.keyAndStrings(Command.ZREM, a.key(), a.stringsOrOne("members", "member")),
                        Results::integer)
                .operations();
    }

    private static Request zadd(Args args) {
        Request request = Request.cmd(Command.ZADD).arg(args.key());
        addScoredMembers(args, request);
        return request;
    }

    /** Appends score/member pairs from {@code members} or from {@code member} + {@code score}. */
    static void addScoredMembers(Args args, Request request) {
        JsonNode members = args.raw("members");
        if (members != null && !members.isNull()) {
            if (!members.isArray() || members.isEmpty()) {
                throw args.invalid("members", "expected a non-empty array of {\"member\", \"score\"}");
            }
            dev.redisfn.result.Fields fields = dev.redisfn.result.Fields.request("params.");
            for (int i = 0; i < members.size(); i++) {
                JsonNode pair = members.get(i);
                String at = "members[" + i + "]";
                if (!pair.isObject()) {
                    throw args.invalid(at, "expected {\"member\": ..., \"score\": ...}");
                }
                String member = fields.string(pair.get("member"), at + ".member");
                Double score = fields.number(pair.get("score"), at + ".score");
                if (member == null || score == null) {
                    throw args.invalid(at, "needs both member and score");
                }
                request.arg(Commands.score(score)).arg(member);
            }
            return;
        }
        if (!args.has("member") || !args.has("score")) {
            throw args.invalid("members", "required (or give member + score)");
        }
        request.arg(Commands.score(args.number("score"))).arg(args.string("member"));
    }

    private static Request zrange(Args args) {
        Request request = Request.cmd(Command.ZRANGE).arg(args.key()).arg(args.integer("start")).arg(args.integer("stop"));
        if (args.flag("withScores")) {
            request.arg("WITHSCORES");
        }
        return request;
    }
}
