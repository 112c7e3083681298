package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.KEY_OR_KEYS;
import static dev.redisfn.command.Params.TTL_MILLIS;
import static dev.redisfn.command.Params.TTL_SECONDS;

import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Key-space operations: existence, deletion, expiry, renaming, serialization, scanning. */
final class Keys {

    static final Param NEW_KEY = Param.required("newKey", ParamType.STRING, "The new name.");
    static final Param DESTINATION = Param.required("destination", ParamType.STRING, "The key to write to.");
    static final Param REPLACE = Param.optional("replace", ParamType.BOOLEAN, "Overwrite an existing destination.")
            .withDefault(false);
    static final Param UNIX_SECONDS = Param.required("unixSeconds", ParamType.INTEGER, "Expiry as a Unix time in seconds.");
    static final Param UNIX_MILLIS = Param.required("unixMillis", ParamType.INTEGER, "Expiry as a Unix time in milliseconds.");
    static final Param EXPIRY_CONDITION = Param.optional("condition", ParamType.STRING,
            "NX: only without expiry; XX: only with one; GT/LT: only if greater/less than the current one.")
            .oneOf("NX", "XX", "GT", "LT");
    static final Param SERIALIZED = Param.required("serialized", ParamType.STRING, "The DUMP output, base64.");

    private Keys() {
    }

    static List<Operation> operations() {
        return new Group("key")
                .split("DEL", WRITE, "Delete keys; returns how many existed.", KEY_OR_KEYS, Command.DEL,
                        Results::integer, Operation.ClusterRule.SPLIT_SUM)
                .split("UNLINK", WRITE, "Delete keys, reclaiming memory in the background; returns how many existed.",
                        KEY_OR_KEYS, Command.UNLINK, Results::integer, Operation.ClusterRule.SPLIT_SUM)
                .split("EXISTS", READ, "Whether a key exists (true/false), or how many of several keys exist.",
                        KEY_OR_KEYS, Command.EXISTS, Keys::existsResult, Operation.ClusterRule.SPLIT_SUM)
                .split("TOUCH", WRITE, "Refresh the last access time of keys; returns how many exist.", KEY_OR_KEYS,
                        Command.TOUCH, Results::integer, Operation.ClusterRule.SPLIT_SUM)
                .op("EXPIRE", WRITE, "Set a key's time to live in seconds (0 or less deletes the key, as in Redis); false if the key"
                        + " does not exist.",
                        List.of(KEY, TTL_SECONDS.asRequired(), EXPIRY_CONDITION),
                        a -> expiry(Command.EXPIRE, a, a.integer("ttlSeconds")), Results::bool)
                .op("PEXPIRE", WRITE, "Set a key's time to live in milliseconds (0 or less deletes the key, as in Redis); false if the"
                        + " key does not exist.",
                        List.of(KEY, TTL_MILLIS.asRequired(), EXPIRY_CONDITION),
                        a -> expiry(Command.PEXPIRE, a, a.integer("ttlMillis")), Results::bool)
                .op("EXPIREAT", WRITE, "Expire a key at a Unix time in seconds (a time past deletes it).",
                        List.of(KEY, UNIX_SECONDS, EXPIRY_CONDITION),
                        a -> expiry(Command.EXPIREAT, a, a.integer("unixSeconds")), Results::bool)
                .op("PEXPIREAT", WRITE, "Expire a key at a Unix time in milliseconds (a time past deletes it).",
                        List.of(KEY, UNIX_MILLIS, EXPIRY_CONDITION),
                        a -> expiry(Command.PEXPIREAT, a, a.integer("unixMillis")), Results::bool)
                .op("TTL", READ, "Seconds left to live: -1 without expiry, -2 when the key does not exist.",
                        List.of(KEY), a -> Request.cmd(Command.TTL).arg(a.key()), Results::integer)
                .op("PTTL", READ, "Milliseconds left to live: -1 without expiry, -2 when the key does not exist.",
                        List.of(KEY), a -> Request.cmd(Command.PTTL).arg(a.key()), Results::integer)
                .op("EXPIRETIME", READ, "The Unix time in seconds at which the key expires: -1 without expiry, -2 when"
                        + " it does not exist.", List.of(KEY), a -> Request.cmd(Command.EXPIRETIME).arg(a.key()), Results::integer)
                .op("PEXPIRETIME", READ, "The Unix time in milliseconds at which the key expires: -1 without expiry, -2"
                        + " when it does not exist.", List.of(KEY), a -> Request.cmd(Command.PEXPIRETIME).arg(a.key()),
                        Results::integer)
                .op("PERSIST", WRITE, "Remove a key's expiry; false if it had none or does not exist.",
                        List.of(KEY), a -> Request.cmd(Command.PERSIST).arg(a.key()), Results::bool)
                .op("TYPE", READ, "The type of the value at a key: string, list, set, zset, hash, stream, or none.",
                        List.of(KEY), a -> Request.cmd(Command.TYPE).arg(a.key()), Results::text)
                .op("OBJECT.ENCODING", "OBJECT ENCODING", READ, "How Redis stores the value (listpack, hashtable,"
                        + " int, embstr ...), or null when the key does not exist.", List.of(KEY),
                        object("ENCODING"), Results::text)
                .op("OBJECT.IDLETIME", "OBJECT IDLETIME", READ, "Seconds since the key was last read or written, or"
                        + " null when it does not exist (an error under an LFU maxmemory-policy).", List.of(KEY),
                        object("IDLETIME"), Results::integer)
                .op("OBJECT.FREQ", "OBJECT FREQ", READ, "The key's access frequency counter, or null when it does not"
                        + " exist (only under an LFU maxmemory-policy; an error otherwise).", List.of(KEY),
                        object("FREQ"), Results::integer)
                .op("MEMORY.USAGE", "MEMORY USAGE", READ, "Bytes the key and its value take in memory (nested values"
                        + " sampled), or null when it does not exist.", List.of(KEY),
                        a -> Request.cmd(Command.MEMORY).arg("USAGE").arg(a.key()), Results::integer)
                .op("RENAME", WRITE, "Rename a key, replacing newKey if it exists.", List.of(KEY, NEW_KEY),
                        a -> Request.cmd(Command.RENAME).arg(a.key()).arg(a.string("newKey")), Results::bool)
                .oneSlot()
                .op("RENAMENX", WRITE, "Rename a key only if newKey does not exist; false otherwise.",
                        List.of(KEY, NEW_KEY),
                        a -> Request.cmd(Command.RENAMENX).arg(a.key()).arg(a.string("newKey")), Results::bool)
                .oneSlot()
                .op("COPY", WRITE, "Copy a key's value to destination; false if destination exists (unless replace).",
                        List.of(KEY, DESTINATION, REPLACE), Keys::copy, Results::bool)
                .oneSlot()
                .op("DUMP", READ, "The serialized value of a key as base64, or null.", List.of(KEY),
                        a -> Request.cmd(Command.DUMP).arg(a.key()), Keys::base64)
                .op("RESTORE", WRITE, "Create a key from DUMP output (base64); ttlMillis 0 means no expiry.",
                        List.of(KEY, SERIALIZED, TTL_MILLIS.withDefault(0L), REPLACE), Keys::restore, Results::bool)
                // in Redis' @dangerous category: a crafted payload is parsed by the server
                .admin()
                .op("RANDOMKEY", READ, "A random key, or null when the database is empty.", List.of(),
                        a -> Request.cmd(Command.RANDOMKEY), Results::text)
                .runner("SCAN", "SCAN", READ, "One page of keys: {cursor, keys}; pass the cursor back until it is \"0\". "
                        + "In cluster mode the pages walk every master.", Scans.KEYSPACE_PARAMS, Scans::scan)
                .runner("KEYS", "SCAN", READ, "Keys matching a pattern, collected with SCAN (never the blocking KEYS), "
                        + "at most limit: {keys, truncated}.", Scans.KEYS_PARAMS, Scans::keys)
                .operations();
    }

    /** One key: a boolean; several keys: how many exist. */
    static JsonNode existsResult(Response reply, Args args) {
        return args.has("keys") ? Results.integer(reply, args) : Results.bool(reply, args);
    }

    private static Request expiry(Command command, Args args, long amount) {
        Request request = Request.cmd(command).arg(args.key()).arg(Long.toString(amount));
        String condition = args.string("condition");
        return condition == null ? request : request.arg(condition.toUpperCase(java.util.Locale.ROOT));
    }

    private static Request copy(Args args) {
        Request request = Request.cmd(Command.COPY).arg(args.key()).arg(args.string("destination"));
        return args.flag("replace") ? request.arg("REPLACE") : request;
    }

    private static Request restore(Args args) {
        byte[] serialized;
        try {
            serialized = Base64.getDecoder().decode(args.string("serialized"));
        } catch (IllegalArgumentException e) {
            throw args.invalid("serialized", "not valid base64");
        }
        Request request = Request.cmd(Command.RESTORE).arg(args.key()).arg(args.digits("ttlMillis"))
                .arg(Buffer.buffer(serialized));
        return args.flag("replace") ? request.arg("REPLACE") : request;
    }

    private static JsonNode base64(Response reply, Args args) {
        return reply == null ? Results.JSON.nullNode()
                : Results.JSON.textNode(Base64.getEncoder().encodeToString(reply.toBytes()));
    }

    /** OBJECT &lt;subcommand&gt; key: what Redis keeps about a key, beside its value. */
    private static Function<Args, Request> object(String subcommand) {
        return args -> Request.cmd(Command.OBJECT).arg(subcommand).arg(args.key());
    }
}
