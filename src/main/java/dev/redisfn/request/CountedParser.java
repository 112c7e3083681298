package dev.redisfn.request;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

/**
 * A parser that weighs the tree its tokens become and has the request's {@link TreeAllowance}
 * reserve that weight, in steps, before the tree holds it. A JSON tree can take thirty times its
 * text — {@code [{},{},...]} is a map per three bytes — so the bytes of a body, which the body
 * budget counts, do not bound it. Every way Jackson's tree reader advances ({@code nextToken},
 * {@code nextFieldName} ...) is weighed here; {@code CountedParserTest} pins that.
 */
final class CountedParser extends JsonParserDelegate {

    /** Heap a request's tree takes without reserving: the usual event's, a few hundred bytes, well within. */
    static final long FREE = 16 * 1024;
    /** What is reserved at a time past that, so that a large tree reserves now and then, not per token. */
    static final long STEP = 64 * 1024;

    /**
     * The most a byte of JSON can weigh: an object takes at least two ({@code {}}). Text of at most
     * {@link #FREE} / this many bytes cannot pass the free share, and is read without weighing — the
     * usual event, on the fast path.
     */
    static final int MAX_WEIGHT_PER_BYTE = 64;

    private final TreeAllowance allowance;
    private long weight;
    private long covered;

    CountedParser(JsonParser parser, TreeAllowance allowance, long free) {
        super(parser);
        this.allowance = allowance;
        this.covered = Math.max(FREE, free);
    }

    /**
     * {@code parser}, over {@code length} bytes of JSON, weighed as a CountedParser — or as it is,
     * when even a tree of empty objects that long stays within what it may take without reserving.
     */
    static JsonParser over(JsonParser parser, long length, TreeAllowance allowance, long free) {
        return length * MAX_WEIGHT_PER_BYTE <= Math.max(FREE, free) ? parser
                : new CountedParser(parser, allowance, free);
    }

    /**
     * What a token becomes in a tree, in heap bytes (compressed references) with its place in its
     * parent, rounded up from what a tree of each kind of value measured on the heap: an ObjectNode
     * with its LinkedHashMap and table, an ArrayNode with its list, a map entry (names are the
     * parser's canonical strings, shared), a TextNode with its String, an integer node, a decimal
     * with its BigDecimal; true, false and null are shared nodes. A tree of empty objects then weighs
     * 1.5 times what it takes, one of typical documents 1.1 to 3 times.
     */
    static long weightOf(JsonToken token, JsonParser parser) throws IOException {
        return switch (token) {
            case START_OBJECT -> 128;
            case START_ARRAY -> 104;
            case FIELD_NAME -> 56;
            case VALUE_STRING -> 64 + parser.getTextLength();
            case VALUE_NUMBER_INT -> 32;
            case VALUE_NUMBER_FLOAT -> 64;
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> 8;
            default -> 0;
        };
    }

    private JsonToken weighed(JsonToken token) throws IOException {
        if (token != null && (weight += weightOf(token, delegate)) > covered) {
            long more = Math.max(STEP, weight - covered);
            allowance.reserve(more, weight);
            covered += more;
        }
        return token;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return weighed(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
        return weighed(delegate.nextValue());
    }

    @Override
    public String nextFieldName() throws IOException {
        return weighedNow(delegate.nextFieldName());
    }

    @Override
    public boolean nextFieldName(SerializableString name) throws IOException {
        return weighedNow(delegate.nextFieldName(name));
    }

    @Override
    public String nextTextValue() throws IOException {
        return weighedNow(delegate.nextTextValue());
    }

    @Override
    public int nextIntValue(int defaultValue) throws IOException {
        return weighedNow(delegate.nextIntValue(defaultValue));
    }

    @Override
    public long nextLongValue(long defaultValue) throws IOException {
        return weighedNow(delegate.nextLongValue(defaultValue));
    }

    @Override
    public Boolean nextBooleanValue() throws IOException {
        return weighedNow(delegate.nextBooleanValue());
    }

    /** {@code value}, which a {@code next...} method returned, once the token it moved to is weighed. */
    private <T> T weighedNow(T value) throws IOException {
        weighed(delegate.currentToken());
        return value;
    }

    /** The heap weighed so far, for tests. */
    long weight() {
        return weight;
    }
}
