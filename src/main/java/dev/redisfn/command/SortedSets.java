package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.MEMBER;
import static dev.redisfn.command.Params.MEMBER_OR_MEMBERS;
import static dev.redisfn.command.Params.START;
import static dev.redisfn.command.Params.STOP;
import static dev.redisfn.command.Params.WITH_SCORES;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.Fields;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Sorted sets: members ordered by score. */
final class SortedSets {

    private static final List<String> SCORED_MEMBER_FIELDS = List.of("member", "score");
    static final Param SCORED_MEMBERS = Param.optional("members", ParamType.ARRAY,
            "Members with scores: [{\"member\": \"a\", \"score\": 1.5}] (or give member + score).")
            .withItems("object", "member:string", "score:number");

    private SortedSets() {
    }

    static final Param ZADD_CONDITION = Param.optional("condition", ParamType.STRING,
            "NX: only add new members; XX: only update existing ones.").oneOf("NX", "XX");
    static final Param COMPARE = Param.optional("compare", ParamType.STRING,
            "GT/LT: only update when the new score is greater/less.").oneOf("GT", "LT");
    static final Param CHANGED = Param.optional("changed", ParamType.BOOLEAN, "Count updated members too (CH).")
            .withDefault(false);
    static final Param INCR = Param.optional("incr", ParamType.BOOLEAN,
            "Add the score to the member's (one member); returns the new score.").withDefault(false);
    static final Param BY = Param.optional("by", ParamType.STRING, "Range by INDEX (start/stop), SCORE or LEX (min/max).")
            .withDefault("INDEX").oneOf("INDEX", "SCORE", "LEX");
    static final Param MIN = Param.optional("min", ParamType.STRING,
            "Lower bound: a score (\"(1.5\" exclusive, \"-inf\") or, by LEX, \"[a\" / \"(a\" / \"-\".");
    static final Param MAX = Param.optional("max", ParamType.STRING,
            "Upper bound: a score (\"(5\" exclusive, \"+inf\") or, by LEX, \"[z\" / \"(z\" / \"+\".");
    static final Param REV = Param.optional("rev", ParamType.BOOLEAN, "Highest first.").withDefault(false);
    static final Param OFFSET = Param.optional("offset", ParamType.INTEGER, "Skip this many (with count).");
    static final Param LIMIT_COUNT = Param.optional("count", ParamType.INTEGER, "Return at most this many (with offset).");
    static final Param FLOAT_INCREMENT = Param.required("increment", ParamType.NUMBER, "The amount to add to the score.");

    static List<Operation> operations() {
        return new Group("sorted-set")
                .op("ZADD", "ZADD [NX|XX] [GT|LT] [CH] [INCR]", WRITE,
                        "Add members with scores (or update their scores); returns how many were new (with changed: "
                                + "added or updated; with incr: the new score).",
                        List.of(KEY, SCORED_MEMBERS, MEMBER.asOptional(), Params.SCORE.asOptional(), ZADD_CONDITION,
                                COMPARE, CHANGED, INCR),
                        SortedSets::zadd, (reply, args) -> args.flag("incr") ? Results.number(reply, args)
                                : Results.integer(reply, args))
                .op("ZRANGE", "ZRANGE [BYSCORE|BYLEX] [REV] [LIMIT] [WITHSCORES]", READ,
                        "Members by rank (start/stop), by score or by lex (min/max); rev, offset/count; withScores adds the scores.",
                        List.of(KEY, BY, START, STOP, MIN, MAX, REV, OFFSET, LIMIT_COUNT, WITH_SCORES),
                        SortedSets::zrange, Results::membersOrScored)
                .op("ZRANGEBYSCORE", READ, "Members with min <= score <= max, lowest first.",
                        List.of(KEY, MIN.asRequired(), MAX.asRequired(), OFFSET, LIMIT_COUNT, WITH_SCORES),
                        a -> byScore(Command.ZRANGEBYSCORE, a, Bounds.score(a, "min"), Bounds.score(a, "max")),
                        Results::membersOrScored)
                .op("ZREVRANGEBYSCORE", READ, "Members with max >= score >= min, highest first.",
                        List.of(KEY, MIN.asRequired(), MAX.asRequired(), OFFSET, LIMIT_COUNT, WITH_SCORES),
                        a -> byScore(Command.ZREVRANGEBYSCORE, a, Bounds.score(a, "max"), Bounds.score(a, "min")),
                        Results::membersOrScored)
                .op("ZREVRANGE", READ, "Members by rank, highest score first.", List.of(KEY, START, STOP, WITH_SCORES),
                        a -> Commands.withScores(Request.cmd(Command.ZREVRANGE).arg(a.key()).arg(a.digits("start"))
                                .arg(a.digits("stop")), a), Results::membersOrScored)
                .op("ZSCORE", READ, "The score of a member, or null.", List.of(KEY, MEMBER),
                        a -> Request.cmd(Command.ZSCORE).arg(a.key()).arg(a.string("member")), Results::number)
                .op("ZMSCORE", READ, "The scores of several members, null for missing ones.",
                        List.of(KEY, Params.MEMBER_NAMES),
                        a -> Commands.keyAndStrings(Command.ZMSCORE, a.key(), a.strings("members")), SortedSets::scores)
                .op("ZINCRBY", WRITE, "Add to a member's score; returns the new score.",
                        List.of(KEY, MEMBER, FLOAT_INCREMENT),
                        a -> Request.cmd(Command.ZINCRBY).arg(a.key()).arg(Commands.score(a.number("increment")))
                                .arg(a.string("member")), Results::number)
                .op("ZREM", WRITE, "Remove members; returns how many were there.",
                        Lists.withKey(MEMBER_OR_MEMBERS),
                        a -> Commands.keyAndStrings(Command.ZREM, a.key(), a.stringsOrOne("members", "member")),
                        Results::integer)
                .op("ZCARD", READ, "How many members (0 when missing).", List.of(KEY),
                        a -> Request.cmd(Command.ZCARD).arg(a.key()), Results::integer)
                .op("ZCOUNT", READ, "How many members have min <= score <= max.",
                        List.of(KEY, MIN.asRequired(), MAX.asRequired()),
                        a -> Request.cmd(Command.ZCOUNT).arg(a.key()).arg(Bounds.score(a, "min")).arg(Bounds.score(a, "max")),
                        Results::integer)
                .op("ZLEXCOUNT", READ, "How many members lie between min and max lexicographically.",
                        List.of(KEY, MIN.asRequired(), MAX.asRequired()),
                        a -> Request.cmd(Command.ZLEXCOUNT).arg(a.key()).arg(Bounds.lex(a, "min")).arg(Bounds.lex(a, "max")),
                        Results::integer)
                .op("ZRANK", READ, "A member's rank, lowest score first (0-based), or null.", List.of(KEY, MEMBER),
                        a -> Request.cmd(Command.ZRANK).arg(a.key()).arg(a.string("member")), Results::integer)
                .op("ZREVRANK", READ, "A member's rank, highest score first (0-based), or null.", List.of(KEY, MEMBER),
                        a -> Request.cmd(Command.ZREVRANK).arg(a.key()).arg(a.string("member")), Results::integer)
                .op("ZPOPMIN", WRITE, "Remove and return the lowest-scored member: {member, score}, or null (with"
                        + " count: an array of them).", List.of(KEY, Params.POP_COUNT), a -> Commands.keyAndCount(Command.ZPOPMIN, a),
                        SortedSets::popResult)
                .op("ZPOPMAX", WRITE, "Remove and return the highest-scored member: {member, score}, or null (with"
                        + " count: an array of them).", List.of(KEY, Params.POP_COUNT), a -> Commands.keyAndCount(Command.ZPOPMAX, a),
                        SortedSets::popResult)
                .op("ZRANDMEMBER", READ, "A random member (or count members; withScores adds the scores).",
                        List.of(KEY, Params.RANDOM_COUNT, WITH_SCORES), SortedSets::zrandmember, SortedSets::randResult)
                .op("ZREMRANGEBYRANK", WRITE, "Remove members ranked start..stop; returns how many.",
                        List.of(KEY, START.asRequired(), STOP.asRequired()),
                        a -> Request.cmd(Command.ZREMRANGEBYRANK).arg(a.key()).arg(a.digits("start")).arg(a.digits("stop")),
                        Results::integer)
                .op("ZREMRANGEBYSCORE", WRITE, "Remove members with min <= score <= max; returns how many.",
                        List.of(KEY, MIN.asRequired(), MAX.asRequired()),
                        a -> Request.cmd(Command.ZREMRANGEBYSCORE).arg(a.key()).arg(Bounds.score(a, "min"))
                                .arg(Bounds.score(a, "max")),
                        Results::integer)
                .op("ZREMRANGEBYLEX", WRITE, "Remove members between min and max lexicographically ([a, (a, - or +);"
                        + " returns how many.", List.of(KEY, MIN.asRequired(), MAX.asRequired()),
                        a -> Request.cmd(Command.ZREMRANGEBYLEX).arg(a.key()).arg(Bounds.lex(a, "min")).arg(Bounds.lex(a, "max")),
                        Results::integer)
                .op("ZMPOP", "ZMPOP numkeys key... MIN|MAX [COUNT]", WRITE, "Pop from the first non-empty sorted"
                        + " set of keys: {key, members: [{member, score}]}, or null when every one is empty.",
                        List.of(Params.KEYS, Param.optional("from", ParamType.STRING, "Pop the lowest (MIN) or highest"
                                + " (MAX) scores.").withDefault("MIN").oneOf("MIN", "MAX"),
                                Params.POP_COUNT.describedAs("How many to pop from that set (default 1).")),
                        a -> Lists.multiPop(Command.ZMPOP, a, a.string("from")), SortedSets::multiPopped)
                .oneSlot()
                .op("ZSCAN", READ, "One page of members with scores: {cursor, members}.", Scans.IN_KEY_PARAMS,
                        a -> Scans.inKey(Command.ZSCAN, a), Scans::sortedSetPage)
                .operations();
    }

    private static Request zadd(Args args) {
        Request request = Request.cmd(Command.ZADD).arg(args.key());
        for (String option : new String[] {"condition", "compare"}) {
            String value = args.string(option);
            if (value != null) {
                request.arg(value.toUpperCase(Locale.ROOT));
            }
        }
        if (args.flag("changed")) {
            request.arg("CH");
        }
        if ("NX".equalsIgnoreCase(args.string("condition")) && args.has("compare")) {
            throw args.invalid("compare", "cannot go with condition NX: GT and LT compare with a score that NX"
                    + " says is not there");
        }
        if (args.flag("incr")) {
            JsonNode members = args.raw("members");
            if (members != null && members.isArray() && members.size() > 1) {
                throw args.invalid("incr", "adds to one member's score; give one member");
            }
            request.arg("INCR");
        }
        addScoredMembers(args, request);
        return request;
    }

    /** Appends score/member pairs from {@code members} or from {@code member} + {@code score}. */
    static void addScoredMembers(Args args, Request request) {
        JsonNode members = args.raw("members");
        if (members != null && !members.isNull()) {
            args.requireNot("members", "member", "score");
            if (!members.isArray() || members.isEmpty()) {
                throw args.invalid("members", "expected a non-empty array of {\"member\", \"score\"}");
            }
            Fields fields = Fields.request("params.");
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
                args.requireOnly(pair, at, SCORED_MEMBER_FIELDS);
                request.arg(Commands.score(score)).arg(member);
            }
            return;
        }
        if (args.has("member") != args.has("score")) {
            String missing = args.has("member") ? "score" : "member";
            throw args.invalid(missing, "required with " + (missing.equals("score") ? "member" : "score"));
        }
        if (!args.has("member")) {
            throw args.invalid("members", "required (or give member + score)");
        }
        request.arg(Commands.score(args.number("score"))).arg(args.string("member"));
    }

    private static Request zrange(Args args) {
        Request request = Request.cmd(Command.ZRANGE).arg(args.key());
        String by = args.string("by").toUpperCase(Locale.ROOT);
        boolean rev = args.flag("rev");
        if (by.equals("INDEX")) {
            refuseGiven(args, "applies to by SCORE or LEX; by INDEX takes start/stop", "min", "max");
            refuseGiven(args, "applies to by SCORE or LEX; by INDEX, narrow start/stop", "offset", "count");
            request.arg(args.digits("start")).arg(args.digits("stop"));
        } else {
            refuseGiven(args, "applies to by INDEX; by " + by + " takes min/max", "start", "stop");
            if (!args.has("min") || !args.has("max")) {
                throw args.invalid(args.has("min") ? "max" : "min", "required when ranging by " + by);
            }
            BiFunction<Args, String, String> bound = by.equals("LEX") ? Bounds::lex : Bounds::score;
            request.arg(bound.apply(args, rev ? "max" : "min")).arg(bound.apply(args, rev ? "min" : "max")).arg("BY" + by);
        }
        if (rev) {
            request.arg("REV");
        }
        limit(request, args);
        if (args.flag("withScores")) {
            if (by.equals("LEX")) {
                throw args.invalid("withScores", "not available when ranging by LEX");
            }
            request.arg("WITHSCORES");
        }
        return request;
    }

    /** Refuses the first of {@code names} the call gives: they do not apply to the range it asked for. */
    private static void refuseGiven(Args args, String problem, String... names) {
        for (String name : names) {
            if (args.has(name)) {
                throw args.invalid(name, problem);
            }
        }
    }

    private static Request byScore(Command command, Args args, String from, String to) {
        Request request = Commands.withScores(Request.cmd(command).arg(args.key()).arg(from).arg(to), args);
        limit(request, args);
        return request;
    }

    private static void limit(Request request, Args args) {
        if (args.has("offset") || args.has("count")) {
            long offset = args.has("offset") ? args.integer("offset") : 0L;
            long count = args.has("count") ? args.integer("count") : -1L;
            request.arg("LIMIT").arg(Long.toString(offset)).arg(Long.toString(count));
        }
    }

    /** One {member, score} or null without count, as LPOP and SPOP answer; the array with it. */
    private static JsonNode popResult(Response reply, Args args) {
        JsonNode popped = Results.scored(reply, args);
        return args.has("count") ? popped : popped.isEmpty() ? Results.JSON.nullNode() : popped.get(0);
    }

    private static Request zrandmember(Args args) {
        Request request = Request.cmd(Command.ZRANDMEMBER).arg(args.key());
        if (args.has("count")) {
            request.arg(args.digits("count"));
            return Commands.withScores(request, args);
        }
        if (args.flag("withScores")) {
            throw args.invalid("withScores", "needs count");
        }
        return request;
    }

    private static JsonNode randResult(Response reply, Args args) {
        return args.has("count") ? Results.membersOrScored(reply, args) : Results.text(reply, args);
    }

    private static JsonNode scores(Response reply, Args args) {
        com.fasterxml.jackson.databind.node.ArrayNode array = Results.JSON.arrayNode();
        for (Response score : reply) {
            array.add(Results.number(score, args));
        }
        return array;
    }

    /** [key, [[member, score], ...]] or nil as {key, members} or null. */
    private static JsonNode multiPopped(Response reply, Args args) {
        if (reply == null) {
            return Results.JSON.nullNode();
        }
        ObjectNode popped = Results.JSON.objectNode().put("key", Results.utf8(reply.get(0)));
        ArrayNode members = popped.putArray("members");
        for (Response pair : reply.get(1)) {
            members.addObject().put("member", Results.utf8(pair.get(0))).set("score", Results.score(pair.get(1)));
        }
        return popped;
    }
}
