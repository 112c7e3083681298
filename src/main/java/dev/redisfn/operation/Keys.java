package dev.redisfn.operation;

import static dev.redisfn.operation.Access.READ;
import static dev.redisfn.operation.Access.WRITE;
import static dev.redisfn.operation.Params.KEY;
import static dev.redisfn.operation.Params.KEY_OR_KEYS;
import static dev.redisfn.operation.Params.TTL_SECONDS;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Key-space operations: existence, deletion, expiry, type. */
final class Keys {

    private Keys() {
    }

    static List<Operation> operations() {
        return new Group("key")
                .split("DEL", WRITE, "Delete keys; returns how many existed.", KEY_OR_KEYS,
                        Command.DEL, Results::integer, Operation.KeySplit.SUM)
                .split("EXISTS", READ, "Whether a key exists (true/false), or how many of several keys exist.",
                        KEY_OR_KEYS, Command.EXISTS, Keys::existsResult,
                        Operation.KeySplit.SUM)
                .op("EXPIRE", WRITE, "Set a key's time to live in seconds; false if the key does not exist.",
                        List.of(KEY, TTL_SECONDS.asRequired()),
                        a -> Request.cmd(Command.EXPIRE).arg(a.key()).arg(a.integer("ttlSeconds")), Results::bool)
                .op("TTL", READ, "Seconds left to live: -1 without expiry, -2 when the key does not exist.",
                        List.of(KEY), a -> Request.cmd(Command.TTL).arg(a.key()), Results::integer)
                .op("PERSIST", WRITE, "Remove a key's expiry; false if it had none or does not exist.",
                        List.of(KEY), a -> Request.cmd(Command.PERSIST).arg(a.key()), Results::bool)
                .op("TYPE", READ, "The type of the value at a key: string, list, set, zset, hash, stream, or none.",
                        List.of(KEY), a -> Request.cmd(Command.TYPE).arg(a.key()), Results::text)
                .operations();
    }

    /** One key: a boolean; several keys: how many exist. */
    static JsonNode existsResult(Response reply, Args args) {
        return args.has("keys") ? Results.integer(reply, args) : Results.bool(reply, args);
    }
}
