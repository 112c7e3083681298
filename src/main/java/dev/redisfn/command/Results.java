package dev.redisfn.command;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.Fields;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Result mappers: Redis replies as natural JSON (docs/design.md, "Results and errors"). Nil is null, integers are
 * numbers, yes/no answers are booleans, hashes are objects, scored members are
 * {@code {"member", "score"}} objects; stored values follow the call's encoding.
 */
public final class Results {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Results() {
    }

    /** A stored value (GET, HGET, LPOP ...), decoded per encoding. */
    public static JsonNode value(Response reply, Args args) {
        return args.encoding().decode(reply);
    }

    /** An integer reply. */
    public static JsonNode integer(Response reply, Args args) {
        return reply == null ? JSON.nullNode() : JSON.numberNode(reply.toLong());
    }

    /** 1/0 or OK/nil as true/false. */
    public static JsonNode bool(Response reply, Args args) {
        return JSON.booleanNode(truth(reply));
    }

    /** A status or plain text reply (PONG, TYPE's "string"). */
    public static JsonNode text(Response reply, Args args) {
        return reply == null ? JSON.nullNode() : JSON.textNode(utf8(reply));
    }

    /** Text of a bulk or status reply (status replies hold no bytes of their own). */
    static String utf8(Response reply) {
        return reply.type() == ResponseType.BULK ? reply.toString(StandardCharsets.UTF_8) : reply.toString();
    }

    /** A number Redis computed in long double and answers as text (INCRBYFLOAT): its digits, exactly. */
    public static JsonNode decimal(Response reply, Args args) {
        if (reply == null) {
            return JSON.nullNode();
        }
        String text = utf8(reply);
        return Fields.isDecimal(text) ? JSON.numberNode(new BigDecimal(text)) : JSON.textNode(text);
    }

    /** A number that may be nil (ZSCORE). */
    public static JsonNode number(Response reply, Args args) {
        return reply == null ? JSON.nullNode() : score(reply);
    }

    /** An array of stored values (MGET, LRANGE); nil elements stay null. */
    public static JsonNode values(Response reply, Args args) {
        if (reply == null) {
            return JSON.nullNode();
        }
        if (reply.type() != ResponseType.MULTI) {
            return JSON.arrayNode().add(value(reply, args));
        }
        ArrayNode array = JSON.arrayNode(reply.size());
        for (Response element : reply) {
            array.add(value(element, args));
        }
        return array;
    }

    /** An array of names (set members, hash fields, keys) as UTF-8 strings. */
    public static JsonNode strings(Response reply, Args args) {
        if (reply == null) {
            return JSON.nullNode();
        }
        ArrayNode array = JSON.arrayNode(reply.size());
        for (Response element : reply) {
            array.add(text(element, args));
        }
        return array;
    }

    /** An array of 1/0 as booleans (SMISMEMBER). */
    public static JsonNode bools(Response reply, Args args) {
        ArrayNode array = JSON.arrayNode(reply.size());
        for (Response element : reply) {
            array.add(truth(element));
        }
        return array;
    }

    /** An array of integers, nil elements kept as null. */
    public static JsonNode integers(Response reply, Args args) {
        ArrayNode array = JSON.arrayNode(reply.size());
        for (Response element : reply) {
            array.add(integer(element, args));
        }
        return array;
    }

    /** A flat field/value reply (HGETALL) as an object of decoded values. */
    public static JsonNode hash(Response reply, Args args) {
        ObjectNode object = JSON.objectNode();
        if (reply == null) {
            return object;
        }
        if (reply.type() == ResponseType.MULTI) {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                object.set(reply.get(i).toString(StandardCharsets.UTF_8), value(reply.get(i + 1), args));
            }
        } else {
            for (String field : reply.getKeys()) {
                object.set(field, value(reply.get(field), args));
            }
        }
        return object;
    }

    /** Members with scores: a flat member/score reply as [{member, score}]. */
    public static JsonNode scored(Response reply, Args args) {
        ArrayNode array = JSON.arrayNode();
        if (reply == null) {
            return array;
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            ObjectNode pair = JSON.objectNode();
            pair.put("member", reply.get(i).toString(StandardCharsets.UTF_8));
            pair.set("score", score(reply.get(i + 1)));
            array.add(pair);
        }
        return array;
    }

    /** Members only, or [{member, score}] when the call asked {@code withScores}. */
    public static JsonNode membersOrScored(Response reply, Args args) {
        return args.flag("withScores") ? scored(reply, args) : strings(reply, args);
    }

    /** A Redis float (bulk text in RESP2); infinities as the strings "inf" / "-inf", which JSON lacks. */
    public static JsonNode score(Response reply) {
        String text = utf8(reply);
        double value = Double.parseDouble(text.replace("inf", "Infinity"));
        if (Double.isInfinite(value)) {
            return JSON.textNode(value > 0 ? "inf" : "-inf");
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return JSON.numberNode((long) value);
        }
        return JSON.numberNode(value);
    }

    static boolean truth(Response reply) {
        if (reply == null) {
            return false;
        }
        if (reply.type() == ResponseType.NUMBER) {
            return reply.toLong() != 0;
        }
        if (reply.type() == ResponseType.BOOLEAN) {
            return reply.toBoolean();
        }
        return "OK".equalsIgnoreCase(reply.toString());
    }
}
