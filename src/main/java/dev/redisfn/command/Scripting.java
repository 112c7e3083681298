package dev.redisfn.command;

import static dev.redisfn.command.Access.WRITE;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.redisfn.connection.Route;
import dev.redisfn.connection.Target;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Lua scripting. Every operation here is WRITE, since a script may write; a deployment can switch
 * scripting off as a whole ({@code connector.commands.scripting}).
 */
final class Scripting {

    static final Param SCRIPT = Param.required("script", ParamType.STRING, "The Lua script.");
    static final Param SHA1 = Param.required("sha1", ParamType.STRING, "The SHA1 digest SCRIPT.LOAD returned.");
    static final Param KEYS = Params.KEYS.asOptional()
            .describedAs("Keys the script uses, as KEYS[1..] (in cluster mode all in one slot).");
    static final Param ARGS = Param.optional("args", ParamType.STRING_ARRAY, "Arguments, as ARGV[1..].");

    private Scripting() {
    }

    static List<Operation> operations() {
        return new Group("scripting")
                .op("EVAL", WRITE, "Run a Lua script with keys and args; returns its reply as JSON.",
                        List.of(SCRIPT, KEYS, ARGS), a -> call(Command.EVAL, a.string("script"), a),
                        (reply, args) -> anyReply(reply))
                .oneSlot()
                .op("EVALSHA", WRITE, "Run a script loaded with SCRIPT.LOAD by its SHA1; returns its reply as JSON.",
                        List.of(SHA1, KEYS, ARGS), a -> call(Command.EVALSHA, a.string("sha1"), a),
                        (reply, args) -> anyReply(reply))
                .oneSlot()
                .runner("SCRIPT.LOAD", "SCRIPT LOAD", WRITE,
                        "Cache a script (on every master in cluster mode) and return its SHA1 for EVALSHA.",
                        List.of(SCRIPT), Scripting::load)
                .scripted()
                .operations();
    }

    private static Request call(Command command, String script, Args args) {
        List<String> keys = optionalStrings(args, "keys");
        Request request = Request.cmd(command).arg(script).arg(Long.toString(keys.size()));
        keys.forEach(request::arg);
        optionalStrings(args, "args").forEach(request::arg);
        return request;
    }

    /** Absent and [] both mean none (Args.strings insists on at least one element). */
    private static List<String> optionalStrings(Args args, String name) {
        JsonNode raw = args.raw(name);
        if (!args.has(name) || (raw.isArray() && raw.isEmpty())) {
            return List.of();
        }
        return args.strings(name);
    }

    /** EVALSHA reaches the master owning its keys, so in cluster mode every master must know the script. */
    private static Future<JsonNode> load(Args args, Target target, ReplyAccount replies) {
        String script = args.string("script");
        return target.masters().compose(masters -> {
            List<Future<Response>> loads = new ArrayList<>(masters.size());
            masters.forEach(master -> loads.add(master.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script),
                    Route.MASTER).compose(replies::charge)));
            return Future.all(loads);
        }).map(all -> anyReply(all.resultAt(0)));
    }

    /**
     * Any RESP2 reply as JSON: bulk and status replies as strings, integers as numbers, arrays
     * recursively, nil as null. Lua's true arrives as 1 and its false as nil (Redis converts them).
     */
    static JsonNode anyReply(Response reply) {
        if (reply == null) {
            return Results.JSON.nullNode();
        }
        switch (reply.type()) {
            case MULTI:
            case PUSH: {
                ArrayNode array = Results.JSON.arrayNode(reply.size());
                for (Response element : reply) {
                    array.add(anyReply(element));
                }
                return array;
            }
            case NUMBER: {
                Number number = reply.toNumber();
                return number instanceof Double || number instanceof Float ? Results.JSON.numberNode(number.doubleValue())
                        : Results.JSON.numberNode(number.longValue());
            }
            case BOOLEAN:
                return Results.JSON.booleanNode(reply.toBoolean());
            default:
                // BULK, SIMPLE, and an error reply nested in an array: its text
                return Results.JSON.textNode(Results.utf8(reply));
        }
    }
}
