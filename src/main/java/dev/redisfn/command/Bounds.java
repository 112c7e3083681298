package dev.redisfn.command;

import java.util.List;
import java.util.regex.Pattern;

import dev.redisfn.model.Fields;

/**
 * The range bounds and stream ids that operations pass to Redis as text, checked before they are sent:
 * a malformed one is a 400 naming the parameter, not Redis' "min or max is not a float" as a 422.
 */
final class Bounds {

    private static final Pattern SCORE = Pattern.compile(
            "(?i)[+-]?(inf|infinity|(\\d+(\\.\\d*)?|\\.\\d+)(e[+-]?\\d+)?)");
    /** Milliseconds and a sequence number, each a 64-bit unsigned integer: at most 20 digits. */
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}(-\\d{1,20})?");
    private static final Pattern NEW_ENTRY_ID = Pattern.compile("\\*|\\d{1,20}(-(\\d{1,20}|\\*))?");

    private Bounds() {
    }

    /** A score bound: a number, "(" before one for an exclusive bound, or -inf / +inf. */
    static String score(Args args, String name) {
        String bound = args.string(name);
        if (!SCORE.matcher(bound.startsWith("(") ? bound.substring(1) : bound).matches()) {
            throw args.invalid(name, "expected a score such as 1.5, \"(1.5\" (exclusive), \"-inf\" or \"+inf\", got '"
                    + Fields.clip(bound) + "'");
        }
        return bound;
    }

    /** A lexicographic bound: "[a" (inclusive), "(a" (exclusive), "-" or "+". */
    static String lex(Args args, String name) {
        String bound = args.string(name);
        if (!bound.equals("-") && !bound.equals("+") && !bound.startsWith("[") && !bound.startsWith("(")) {
            throw args.invalid(name, "expected \"[a\" (inclusive), \"(a\" (exclusive), \"-\" or \"+\", got '"
                    + Fields.clip(bound) + "'");
        }
        return bound;
    }

    /** A bound of XRANGE: an entry id ("1700000000000-0", or its time alone), "(" before one, "-" or "+". */
    static String range(Args args, String name) {
        String bound = args.string(name);
        if (!bound.equals("-") && !bound.equals("+")
                && !isEntryId(bound.startsWith("(") ? bound.substring(1) : bound)) {
            throw args.invalid(name, "expected an entry id such as 1700000000000-0, \"(\" before one (exclusive), \"-\""
                    + " or \"+\", got '" + Fields.clip(bound) + "'");
        }
        return bound;
    }

    /** The id XADD gives a new entry: "*" (Redis chooses), "1700000000000-*", or a whole id. */
    static String newEntry(Args args, String name) {
        String id = args.string(name);
        if (!NEW_ENTRY_ID.matcher(id).matches() || !fits(id)) {
            throw args.invalid(name, "expected \"*\", an entry id such as 1700000000000-0, or 1700000000000-*, got '"
                    + Fields.clip(id) + "'");
        }
        return id;
    }

    /** Each number of an id within 64 unsigned bits, as Redis reads them (20 digits reach beyond). */
    private static boolean fits(String id) {
        for (String part : id.split("-")) {
            if (!part.equals("*")) {
                try {
                    Long.parseUnsignedLong(part);
                } catch (NumberFormatException beyond) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isEntryId(String id) {
        return ENTRY_ID.matcher(id).matches() && fits(id);
    }

    /** Ids of existing entries (XDEL, XACK). */
    static List<String> entries(Args args, List<String> ids, String name) {
        for (String id : ids) {
            if (!isEntryId(id)) {
                throw args.invalid(name, "expected entry ids such as 1700000000000-0, got '" + Fields.clip(id) + "'");
            }
        }
        return ids;
    }

    /** Where a group reads from: "$" (new entries only), "0", or an entry id. */
    static String groupStart(Args args, String name) {
        String id = args.string(name);
        if (!id.equals("$") && !isEntryId(id)) {
            throw args.invalid(name, "expected \"$\" (new entries only), 0 (the whole stream) or an entry id, got '"
                    + Fields.clip(id) + "'");
        }
        return id;
    }
}
