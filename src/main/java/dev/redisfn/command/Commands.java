package dev.redisfn.command;

import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Small helpers for building command requests from typed arguments. */
final class Commands {

    private Commands() {
    }

    static Request cmd(Command command) {
        return Request.cmd(command);
    }

    static Request withKeys(Command command, List<String> keys) {
        Request request = Request.cmd(command);
        keys.forEach(request::arg);
        return request;
    }

    static Request keyAndStrings(Command command, String key, List<String> values) {
        Request request = Request.cmd(command).arg(key);
        values.forEach(request::arg);
        return request;
    }

    static Request keyAndValues(Command command, String key, List<Buffer> values) {
        Request request = Request.cmd(command).arg(key);
        values.forEach(request::arg);
        return request;
    }

    /** COMMAND key [count]: a pop or a random sample, which answers one element without count. */
    static Request keyAndCount(Command command, Args args) {
        Request request = Request.cmd(command).arg(args.key());
        return args.has("count") ? request.arg(args.digits("count")) : request;
    }

    /** numkeys key...: what the multi-key commands that count their keys first (ZUNION, LMPOP, SINTERCARD) take. */
    static Request numKeys(Request request, List<String> keys) {
        request.arg(Long.toString(keys.size()));
        keys.forEach(request::arg);
        return request;
    }

    /** WITHSCORES when the call asks for {@code withScores}. */
    static Request withScores(Request request, Args args) {
        return args.flag("withScores") ? request.arg("WITHSCORES") : request;
    }

    /** A Redis float argument: integers without a decimal point, infinities as +inf/-inf. */
    static String score(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
