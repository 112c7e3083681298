package dev.redisfn.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The object form of {@code watch}: on the transaction's connection, WATCH the keys and GET them in
 * one round trip, and let the batch go on to MULTI only if each key still holds the value the flow
 * read in an earlier call. Values compare as CAS compares {@code expected}, in the encoding the batch's
 * items that name the key use (UTF-8 when none gives one): JSON by meaning, the others byte for byte.
 */
final class WatchedValues {

    private final List<String> keys;
    /** Per key, the value read; absent (null, JSON null) where the key must not exist. */
    private final List<JsonNode> expected;
    private final List<Encoding> encodings;

    private WatchedValues(List<String> keys, List<JsonNode> expected, List<Encoding> encodings) {
        this.keys = keys;
        this.expected = expected;
        this.encodings = encodings;
    }

    /** The values to compare, checked before anything is sent: one that cannot be encoded is a 400 naming its key. */
    static WatchedValues of(Watch watch, List<Call> calls) {
        Map<String, Encoding> byKey = encodings(watch, calls);
        List<JsonNode> expected = new ArrayList<>(watch.keys().size());
        List<Encoding> encodings = new ArrayList<>(watch.keys().size());
        for (String key : watch.keys()) {
            JsonNode read = watch.values().get(key);
            Encoding encoding = byKey.getOrDefault(key, Encoding.UTF8);
            if (!Fields.isAbsent(read)) {
                check(read, encoding, "watch." + key);
            }
            expected.add(read);
            encodings.add(encoding);
        }
        return new WatchedValues(watch.keys(), expected, encodings);
    }

    private static void check(JsonNode read, Encoding encoding, String path) {
        if (encoding != Encoding.JSON && (read.isObject() || read.isArray())) {
            throw ConnectorException.invalidRequest(path + ": expected the value read (a string), or null for a key"
                    + " that did not exist; a JSON value compares when the items naming the key use \"encoding\": \"json\"");
        }
        encoding.encodeAt(read, path);
    }

    /** The {@code encoding} the batch's items give for each watched key they name; items that disagree are a 400. */
    private static Map<String, Encoding> encodings(Watch watch, List<Call> calls) {
        Map<String, Encoding> found = new HashMap<>();
        for (Call call : calls) {
            if (!call.args().has("encoding")) {
                continue;
            }
            Encoding encoding = call.args().encoding();
            for (String key : call.args().slotKeys()) {
                Encoding earlier = watch.values().containsKey(key) ? found.putIfAbsent(key, encoding) : null;
                if (earlier != null && earlier != encoding) {
                    throw ConnectorException.invalidRequest("watch." + key + ": the items naming this key use different"
                            + " encodings (" + earlier + ", " + encoding + "), so its value read cannot be compared");
                }
            }
        }
        return found;
    }

    /**
     * WATCH ({@code watch}) and a GET per key, pipelined; succeeds when every key holds what was read,
     * and otherwise fails — 409 CONFLICT naming the keys that changed, WRONG_TYPE for a key that
     * holds no string — once the keys are unwatched.
     */
    Future<Void> check(RedisConnection conn, Request watch, ReplyAccount replies) {
        List<Future<Response>> sent = new ArrayList<>(keys.size() + 1);
        sent.add(conn.send(watch));
        keys.forEach(key -> sent.add(conn.send(Request.cmd(Command.GET).arg(key))));
        return Future.join(sent).transform(ignored -> {
            List<Future<Response>> reads = sent.subList(1, sent.size());
            if (sent.get(0).failed()) {
                return Future.failedFuture(sent.get(0).cause());
            }
            for (Future<Response> read : reads) {
                if (read.failed() && !RedisErrors.isErrorReply(read.cause())) {
                    return Future.failedFuture(read.cause()); // the connection failed: there is nothing to unwatch
                }
            }
            ConnectorException refused = verdict(reads, replies);
            return refused == null ? Future.succeededFuture() : unwatch(conn, refused);
        });
    }

    private ConnectorException verdict(List<Future<Response>> reads, ReplyAccount replies) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Future<Response> read = reads.get(i);
            if (read.failed()) {
                ConnectorException error = Failures.classify(read.cause());
                return error.at("watch." + keys.get(i), "; nothing was applied", error.code() == ErrorCode.WRONG_TYPE
                        ? "watch: only a string key's value can be compared" : error.hint());
            }
            ConnectorException refused = replies.count(ReplyAccount.size(read.result()));
            if (refused != null) {
                return refused;
            }
            if (!encodings.get(i).holds(read.result(), expected.get(i), "watch." + keys.get(i))) {
                changed.add(keys.get(i));
            }
        }
        return changed.isEmpty() ? null : new ConnectorException(ErrorCode.CONFLICT, "watch: " + String.join(", ", changed)
                + (changed.size() == 1 ? " no longer holds" : " no longer hold") + " the value read; nothing was applied",
                "watch: read the keys again and retry the batch");
    }

    /** The connection goes back to its pool: a WATCH left on it would abort the next transaction there. */
    private static Future<Void> unwatch(RedisConnection conn, ConnectorException refused) {
        // whatever UNWATCH answers, the refusal is the batch's answer
        return conn.send(Request.cmd(Command.UNWATCH)).transform(ignored -> Future.failedFuture(refused));
    }
}
