package dev.redisfn.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of JSON fields with errors that name the field. Numbers and booleans typed as
 * strings ({@code "6379"}, {@code "true"}) are accepted: integration consoles often send them so.
 */
public final class Fields {

    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private final String prefix;
    private final Function<String, ConnectorException> error;

    private Fields(String prefix, Function<String, ConnectorException> error) {
        this.prefix = prefix;
        this.error = error;
    }

    /** Reads request fields: problems are INVALID_REQUEST, named {@code prefix + field}. */
    public static Fields request(String prefix) {
        return new Fields(prefix, ConnectorException::invalidRequest);
    }

    /** Reads connection fields: problems are INVALID_CONNECTION, named {@code connection.field}. */
    public static Fields connection() {
        return new Fields("connection.",
                message -> new ConnectorException(ErrorCode.INVALID_CONNECTION, message));
    }

    /**
     * Refuses a field of {@code object} that {@code accepted} does not name, suggesting the closest one:
     * a typo ({@code passwd}) must not be ignored. {@code at} comes before the field's name.
     */
    public void requireOnly(JsonNode object, String at, Collection<String> accepted) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw invalid(at + name, "unknown field" + Suggestions.accepted(name, accepted));
            }
        }
    }

    public ConnectorException invalid(String field, String problem) {
        return error.apply(prefix + field + ": " + problem);
    }

    public static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    public String string(JsonNode node, String field) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isTextual()) {
            if (!isWellFormed(node.textValue())) {
                throw invalid(field, NOT_UNICODE);
            }
            return node.textValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw invalid(field, "expected a string, got " + describe(node));
    }

    /** A string that must be typed as one: a name (an operation's), where a number is a mistake, not a console's habit. */
    public String text(JsonNode node, String field) {
        if (isAbsent(node) || node.isTextual()) {
            return isAbsent(node) ? null : node.textValue();
        }
        throw invalid(field, "expected a string, got " + describe(node));
    }

    public Long integer(JsonNode node, String field) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                && Math.abs(node.doubleValue()) < 9.0e15) {
            return (long) node.doubleValue();
        }
        if (node.isIntegralNumber() || node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue())) {
            throw invalid(field, "the integer is beyond 64 bits (at most " + Long.MAX_VALUE + ")");
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw invalid(field, "expected an integer, got the string '" + clip(node.textValue()) + "'");
            }
        }
        throw invalid(field, "expected an integer, got " + describe(node));
    }

    public Double number(JsonNode node, String field) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isNumber()) {
            return finite(node.doubleValue(), field);
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            switch (text.toLowerCase(Locale.ROOT)) {
                case "inf", "+inf", "infinity", "+infinity":
                    return Double.POSITIVE_INFINITY;
                case "-inf", "-infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
            try {
                double value = Double.parseDouble(text);
                if (!Double.isNaN(value)) {
                    return finite(value, field);
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw invalid(field, "expected a number, got the string '" + clip(text) + "'");
        }
        throw invalid(field, "expected a number, got " + describe(node));
    }

    /** A number beyond a double's range reads as infinity: refused, so that infinity is only ever asked for by name. */
    private double finite(double value, String field) {
        if (Double.isInfinite(value)) {
            throw invalid(field, "the number is beyond what Redis holds (about 1.8e308); for infinity, write \"inf\" or \"-inf\"");
        }
        return value;
    }

    public Boolean bool(JsonNode node, String field) {
        if (isAbsent(node)) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            String text = node.textValue().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true")) {
                return true;
            }
            if (text.equals("false")) {
                return false;
            }
        }
        if (node.isIntegralNumber() && (node.longValue() == 0 || node.longValue() == 1)) {
            return node.longValue() == 1;
        }
        throw invalid(field, "expected true or false, got " + describe(node));
    }

    /** A list of strings from a JSON array, or from a comma-separated string when {@code splitCommas}. */
    public List<String> strings(JsonNode node, String field, boolean splitCommas) {
        if (isAbsent(node)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                values.add(string(node.get(i), field + "[" + i + "]"));
                if (values.get(i) == null) {
                    throw invalid(field + "[" + i + "]", "must not be null");
                }
            }
            return values;
        }
        if (splitCommas && node.isTextual()) {
            for (String part : node.textValue().split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
            return values;
        }
        throw invalid(field, "expected an array" + (splitCommas ? " or a comma-separated string" : "")
                + ", got " + describe(node));
    }

    /** Why a string with a lone surrogate is refused: UTF-8 cannot carry it, Redis would get '?'. */
    public static final String NOT_UNICODE = "holds a lone surrogate (such as \\ud800 without its pair), which is not"
            + " Unicode and would reach Redis as '?'";

    /** Whether text is a decimal number as JSON and Redis write them: digits, a fraction, an exponent. */
    public static boolean isDecimal(String text) {
        return DECIMAL.matcher(text).matches();
    }

    /** Whether every surrogate of {@code text} is half of a pair: whether it has a UTF-8 form. */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    public static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A value quoted in a message: its first 40 characters. */
    public static String clip(String text) {
        return clip(text, 40);
    }

    /** A value quoted in a message: its first {@code max} characters, "..." where it was cut; "" for null. */
    public static String clip(String text, int max) {
        return text == null ? "" : text.length() > max ? text.substring(0, max) + "..." : text;
    }
}
