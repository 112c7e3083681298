package dev.redisfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> EVENT = List.of("atomic", "batch", "connection", "connectionRef", "operation",
            "output", "params", "waitReplicas", "watch");

    @Test
    void aTypoWithinTwoEditsIsNamed() {
        assertEquals("; did you mean 'params'?", Suggestions.didYouMean("parms", EVENT));
        assertEquals("; did you mean 'params'?", Suggestions.didYouMean("Parmas", EVENT), "case ignored, a swap is one edit");
        assertEquals("; did you mean 'connectionRef'?", Suggestions.didYouMean("connectionref", EVENT));
        assertEquals("; did you mean 'operation'?", Suggestions.didYouMean("opration", EVENT));
    }

    @Test
    void aShortNameMayBeOneEditOffOrTheStartOrEndOfTheNameMeant() {
        List<String> expire = List.of("key", "ttlSeconds", "condition", "encoding");
        assertEquals("; did you mean 'key'?", Suggestions.didYouMean("kye", expire));
        assertEquals("; did you mean 'ttlSeconds'?", Suggestions.didYouMean("ttl", expire));
        assertEquals("; did you mean 'ttlSeconds'?", Suggestions.didYouMean("seconds", expire));
        assertEquals("", Suggestions.didYouMean("kxz", expire), "two edits are too many for three letters");
    }

    @Test
    void whatOtherClientsCallAThingSuggestsOurNameWhereTheCallTakesIt() {
        List<String> connection = List.of("mode", "host", "port", "nodes", "masterName", "password", "database", "tls");
        assertEquals("; did you mean 'database'?", Suggestions.didYouMean("db", connection));
        assertEquals("; did you mean 'tls'?", Suggestions.didYouMean("SSL", connection));
        assertEquals("; did you mean 'host'?", Suggestions.didYouMean("hostname", connection));
        assertEquals("; did you mean 'nodes'?", Suggestions.didYouMean("sentinels", connection));
        List<String> set = List.of("key", "value", "ttlSeconds", "ttlMillis", "condition");
        assertEquals("; did you mean 'ttlSeconds'?", Suggestions.didYouMean("ex", set));
        assertEquals("; did you mean 'ttlMillis'?", Suggestions.didYouMean("ttlMs", set));
        assertEquals("; did you mean 'condition'?", Suggestions.didYouMean("NX", set));
        assertEquals("", Suggestions.didYouMean("db", set), "only a name the call takes");
    }

    @Test
    void theFewestEditsWinThenTheFirstGiven() {
        assertEquals("; did you mean 'watch'?", Suggestions.didYouMean("watc", EVENT));
        assertEquals("; did you mean 'GET'?", Suggestions.didYouMean("GOT", List.of("GET", "SET")));
        assertEquals("; did you mean 'HGETALL'?", Suggestions.didYouMean("HGETAL", List.of("HGET", "HGETALL")));
    }

    @Test
    void nothingCloseOrNothingGivenSuggestsNothing() {
        assertEquals("", Suggestions.didYouMean("FLYTOTHEMOON", List.of("GET", "SET", "FLUSHDB")));
        assertEquals("", Suggestions.didYouMean("", EVENT));
        assertEquals("", Suggestions.didYouMean(null, EVENT));
        assertEquals("", Suggestions.didYouMean("params", EVENT), "a known name is not a typo");
        assertEquals("", Suggestions.didYouMean("p".repeat(10_000), EVENT), "a long name is not compared");
    }

    @Test
    void anUnknownNamesMessageEndsWithTheSuggestionAndTheAcceptedNames() {
        assertEquals("; did you mean 'params'? (accepted: operation, params)",
                Suggestions.accepted("parms", List.of("operation", "params")));
        assertEquals(" (accepted: operation, params)", Suggestions.accepted("zzz", List.of("operation", "params")));
    }

    @Test
    void distanceCountsInsertionsDeletionsReplacementsAndSwaps() {
        assertEquals(0, Suggestions.distance("abc", "abc"));
        assertEquals(1, Suggestions.distance("abc", "abd"));
        assertEquals(1, Suggestions.distance("abc", "ab"));
        assertEquals(1, Suggestions.distance("abc", "abcd"));
        assertEquals(1, Suggestions.distance("abc", "bac"));
        assertEquals(3, Suggestions.distance("", "abc"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
