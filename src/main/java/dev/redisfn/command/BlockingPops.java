package dev.redisfn.command;

import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY_OR_KEYS;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.config.Mode;
import dev.redisfn.connection.Route;
import dev.redisfn.connection.Slots;
import dev.redisfn.connection.Target;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The blocking pops of a work queue — BLPOP, BRPOP, BLMOVE, BZPOPMIN, BZPOPMAX — bounded: each waits
 * up to {@code waitMs} (never open-ended) on a connection of its own, so that it holds up none of the
 * calls pipelined on the shared ones, and its deadline is {@code commandTimeoutMs + waitMs}. Like LPOP,
 * a pop whose answer is lost on the way is lost; BLMOVE to a processing list keeps it.
 */
final class BlockingPops {

    static final Param WAIT_MS = Helpers.WAIT_MS.describedAs("Wait up to this long for a value when there is none (1 to "
            + Helpers.MAX_WAIT_MS + "; added to commandTimeoutMs).");
    private static final Shape VALUE = new Shape("{key, value}", BlockingPops::keyAndValue);
    private static final Shape MEMBER = new Shape("{key, member, score}", BlockingPops::keyAndMember);

    private BlockingPops() {
    }

    static List<Operation> operations() {
        Group lists = new Group("list");
        popping(lists, "BLPOP", Command.BLPOP, "the first value of the first non-empty list", VALUE);
        popping(lists, "BRPOP", Command.BRPOP, "the last value of the first non-empty list", VALUE);
        lists.runner("BLMOVE", "BLMOVE", WRITE, "Move one value from source to destination, waiting up to waitMs for one;"
                + " returns it, or null.", List.of(Lists.SOURCE, Lists.DESTINATION, Lists.FROM, Lists.TO, WAIT_MS),
                BlockingPops::blmove).oneSlot();
        Group sortedSets = new Group("sorted-set");
        popping(sortedSets, "BZPOPMIN", Command.BZPOPMIN, "the lowest-scored member of the first non-empty sorted set",
                MEMBER);
        popping(sortedSets, "BZPOPMAX", Command.BZPOPMAX, "the highest-scored member of the first non-empty sorted set",
                MEMBER);
        return Stream.concat(lists.operations().stream(), sortedSets.operations().stream()).toList();
    }

    /** Declares a pop over {@code key} or {@code keys}: {@code what} it takes, and the result's {@code shape}. */
    private static void popping(Group group, String name, Command command, String what, Shape shape) {
        group.runner(name, name, WRITE, "Remove and return " + what + ", waiting up to waitMs for one: " + shape.described()
                + ", or null.", Stream.concat(KEY_OR_KEYS.stream(), Stream.of(WAIT_MS)).toList(),
                (args, target, replies) -> pop(name, command, args, target, replies, shape)).oneSlot();
    }

    /** How the reply of a pop over several keys becomes the result, and how the catalogue describes it. */
    private record Shape(String described, BiFunction<Response, Args, JsonNode> of) {
    }

    private static Future<JsonNode> pop(String name, Command command, Args args, Target target, ReplyAccount replies,
            Shape shape) {
        List<String> keys = args.keyList();
        return blocking(wait -> {
            Request request = Request.cmd(command);
            keys.forEach(request::arg);
            return request.arg(wait);
        }, args, name, keys, target, replies).map(reply -> reply == null ? Results.JSON.nullNode()
                : shape.of().apply(reply, args));
    }

    private static Future<JsonNode> blmove(Args args, Target target, ReplyAccount replies) {
        return blocking(wait -> Request.cmd(Command.BLMOVE).arg(args.string("source")).arg(args.string("destination"))
                .arg(args.string("from").toUpperCase(Locale.ROOT)).arg(args.string("to").toUpperCase(Locale.ROOT))
                .arg(wait), args, "BLMOVE", List.of(args.string("source"), args.string("destination")), target, replies)
                .map(reply -> Results.value(reply, args));
    }

    /**
     * The command, with the wait its timeout argument names, on a leased connection to the master of
     * its keys' slot; null when the wait ran out. A lease that comes late shortens the wait, so that
     * the answer still comes before the call's deadline; one that comes after the call was answered
     * (TIMEOUT) sends nothing — a value popped then would reach nobody.
     */
    private static Future<Response> blocking(Function<String, Request> withWait, Args args, String name,
            List<String> keys, Target target, ReplyAccount replies) {
        long waitMs = args.integer("waitMs"); // 1 to Helpers.MAX_WAIT_MS, as its parameter declares
        int slot = target.config().mode() == Mode.CLUSTER ? ClusterSplit.requireOneSlot(keys, name)
                : Slots.of(keys.get(0));
        replies.awaitConnection();
        return target.exclusive(Route.of(slot, false), conn -> {
            long wait = waitMs - Math.max(0, replies.elapsedMs() - target.config().commandTimeoutMs());
            if (wait <= 0) {
                return Future.failedFuture(ReplyAccount.tooLate(name));
            }
            return replies.onOwnConnection(name, conn, () -> conn.send(withWait.apply(seconds(wait))))
                    .compose(replies::charge);
        });
    }

    /** A wait as the seconds Redis takes, to the millisecond (0, which would wait for ever, is never sent). */
    private static String seconds(long waitMs) {
        return String.format(Locale.ROOT, "%d.%03d", waitMs / 1000, waitMs % 1000);
    }

    private static JsonNode keyAndValue(Response reply, Args args) {
        ObjectNode popped = Results.JSON.objectNode();
        popped.put("key", Results.utf8(reply.get(0)));
        popped.set("value", Results.value(reply.get(1), args));
        return popped;
    }

    private static JsonNode keyAndMember(Response reply, Args args) {
        ObjectNode popped = Results.JSON.objectNode();
        popped.put("key", Results.utf8(reply.get(0)));
        popped.put("member", Results.utf8(reply.get(1)));
        popped.set("score", Results.score(reply.get(2)));
        return popped;
    }
}
