package dev.redisfn.command;

import static dev.redisfn.command.ParamType.BOOLEAN;
import static dev.redisfn.command.ParamType.INTEGER;
import static dev.redisfn.command.ParamType.NUMBER;
import static dev.redisfn.command.ParamType.OBJECT;
import static dev.redisfn.command.ParamType.STRING;
import static dev.redisfn.command.ParamType.STRING_ARRAY;
import static dev.redisfn.command.ParamType.VALUE;

import java.util.List;

/** The parameters shared across operations, named once so every operation spells them alike. */
public final class Params {

    public static final Param KEY = Param.required("key", STRING, "The key.");
    public static final Param KEYS = Param.required("keys", STRING_ARRAY, "The keys, at least one.");
    public static final Param VALUE_PARAM = Param.required("value", VALUE, "The value to store.");
    public static final Param VALUES = Param.required("values", ParamType.ARRAY, "The values, at least one.");
    public static final Param FIELD = Param.required("field", STRING, "The hash field.");
    public static final Param FIELDS = Param.required("fields", OBJECT, "Field names mapped to values.");
    public static final Param FIELD_NAMES = Param.required("fields", STRING_ARRAY, "The hash fields.");
    public static final Param MEMBER = Param.required("member", STRING, "The member.");
    public static final Param MEMBER_NAMES = Param.required("members", STRING_ARRAY, "The members, at least one.");
    public static final Param START = Param.optional("start", INTEGER, "First index (0-based; negative counts from the end).")
            .withDefault(0L);
    public static final Param STOP = Param.optional("stop", INTEGER, "Last index, inclusive (-1 is the last).")
            .withDefault(-1L);
    public static final Param COUNT = Param.optional("count", INTEGER, "How many elements.").atLeast(1);
    /**
     * How many a pop removes and returns, as an array (without it: one, or null). Bounded like a random
     * sample, because a reply over the reply limit would answer an error for elements already removed.
     */
    public static final Param POP_COUNT = Param.optional("count", INTEGER,
            "How many to remove and return, as an array (without count: one, or null).").between(1, Scans.MAX_KEYS);
    /** A random sample's size: negative repeats elements, so only this bound keeps the reply in proportion. */
    public static final Param RANDOM_COUNT = Param.optional("count", INTEGER,
            "How many (negative: may repeat elements).").between(-Scans.MAX_KEYS, Scans.MAX_KEYS);
    public static final Param INCREMENT = Param.optional("increment", INTEGER, "The amount to add.").withDefault(1L);
    public static final Param TTL_SECONDS = Param.optional("ttlSeconds", INTEGER, "Time to live in seconds.");
    public static final Param TTL_MILLIS = Param.optional("ttlMillis", INTEGER, "Time to live in milliseconds.");
    public static final Param SCORE = Param.required("score", NUMBER, "The score.");
    public static final Param WITH_SCORES = Param.optional("withScores", BOOLEAN,
            "Return [{member, score}] instead of members.").withDefault(false);
    public static final Param MESSAGE = Param.optional("message", STRING, "Text echoed back by PING.");
    public static final Param ENCODING = Param.optional("encoding", STRING,
            "How stored values travel (string values, list elements, hash and stream field values, published"
                    + " messages), where the operation has any: utf8 text, base64 bytes, or json (any JSON value,"
                    + " stored as its text). Keys, fields, members and script arguments are always UTF-8 text.")
            .withDefault("utf8").oneOf("utf8", "base64", "json");

    /** Either {@code key} or {@code keys}: the operation takes one key or several. */
    public static final List<Param> KEY_OR_KEYS = List.of(
            KEY.describedAs("One key (or give keys)").asOptional(),
            KEYS.describedAs("Several keys (or give key)").asOptional());
    public static final List<Param> VALUE_OR_VALUES = List.of(
            VALUE_PARAM.describedAs("One value (or give values)").asOptional(),
            VALUES.describedAs("Several values (or give value)").asOptional());
    public static final List<Param> MEMBER_OR_MEMBERS = List.of(
            MEMBER.describedAs("One member (or give members)").asOptional(),
            MEMBER_NAMES.describedAs("Several members (or give member)").asOptional());

    /** Accepted on every operation. */
    public static final List<Param> COMMON = List.of(ENCODING);

    private Params() {
    }
}
