package dev.redisfn.model;

import java.util.Locale;
import java.util.Map;

/**
 * The name a caller probably meant when it wrote one the function does not know: {@code parms} for
 * {@code params}, {@code connectionref} for {@code connectionRef}, {@code HGETAL} for {@code HGETALL},
 * {@code ttl} for {@code ttlSeconds}. Case is ignored in the comparison; a name within two edits (one
 * for names of up to four letters), or one of at least three letters that the known name begins or
 * ends with, is a candidate; the fewest edits win, then the first in the given order. What other
 * clients call a thing ({@code db}, {@code ssl}, {@code ex}) suggests our name for it first.
 */
public final class Suggestions {

    /** Longer names are not compared: a caller's typo is short, and a comparison costs length squared. */
    private static final int LONGEST = 64;
    /**
     * What other Redis clients and consoles call a field or parameter (lower case), no typo of ours: a
     * name that is one of these suggests ours when the call accepts it.
     */
    private static final Map<String, String> OTHER_NAMES = Map.ofEntries(Map.entry("hostname", "host"),
            Map.entry("server", "host"), Map.entry("address", "host"), Map.entry("db", "database"),
            Map.entry("dbindex", "database"), Map.entry("ssl", "tls"), Map.entry("usessl", "tls"),
            Map.entry("pwd", "password"), Map.entry("passwd", "password"), Map.entry("user", "username"),
            Map.entry("timeout", "commandTimeoutMs"), Map.entry("sentinels", "nodes"), Map.entry("master", "masterName"),
            Map.entry("ex", "ttlSeconds"), Map.entry("expire", "ttlSeconds"), Map.entry("px", "ttlMillis"),
            Map.entry("ttlms", "ttlMillis"), Map.entry("nx", "condition"), Map.entry("xx", "condition"));

    private Suggestions() {
    }

    /** {@code "; did you mean 'x'? (accepted: a, b, x)"}: how the message about an unknown name ends. */
    public static String accepted(String given, Iterable<String> known) {
        return didYouMean(given, known) + " (accepted: " + String.join(", ", known) + ")";
    }

    /** {@code "; did you mean 'x'?"}, or an empty string when no known name is close. */
    public static String didYouMean(String given, Iterable<String> known) {
        if (given == null || given.isEmpty() || given.length() > LONGEST) {
            return "";
        }
        String wrong = given.toLowerCase(Locale.ROOT);
        String other = OTHER_NAMES.get(wrong);
        for (String name : known) {
            if (name.equals(other)) {
                return "; did you mean '" + name + "'?";
            }
        }
        int allowed = wrong.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            String right = name.toLowerCase(Locale.ROOT);
            if (name.equals(given) || right.length() > LONGEST) {
                continue;
            }
            // names whose lengths differ by more than the edits allowed are never compared: an unknown name
            // costs the event loop a few comparisons of short names, not one per operation of the catalogue
            int distance = Math.abs(right.length() - wrong.length()) <= allowed ? distance(wrong, right) : Integer.MAX_VALUE;
            boolean affix = wrong.length() >= 3 && (right.startsWith(wrong) || right.endsWith(wrong));
            int rank = distance <= allowed ? distance : affix ? allowed + 1 : Integer.MAX_VALUE;
            if (rank < bestDistance) {
                best = name;
                bestDistance = rank;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Edits (insert, delete, replace, swap of two neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    current[j] = Math.min(current[j], before[j - 2] + 1);
                }
            }
            int[] spare = before;
            before = previous;
            previous = current;
            current = spare;
        }
        return previous[b.length()];
    }
}
