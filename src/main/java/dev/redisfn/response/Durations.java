package dev.redisfn.response;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

/** The {@code durationMs} of results and reports: milliseconds with two decimals. */
public final class Durations {

    /** Hundredths of a millisecond below this (100 s) are spelled by {@link #spell}; longer calls are rare. */
    static final long SPELLED_BELOW = 10_000_000;

    private Durations() {
    }

    public static double millisSince(long startedNanos) {
        return millis(System.nanoTime() - startedNanos);
    }

    /** {@code elapsedNanos} in milliseconds with two decimals. */
    public static double millis(long elapsedNanos) {
        return Math.round(elapsedNanos / 10_000.0) / 100.0;
    }

    /**
     * Writes a duration of {@link #millisSince} as {@link Double#toString} spells it ({@code 0.41},
     * {@code 12.0}) without the JDK's general conversion, which took 3% of a call's CPU; any other
     * value goes the general way.
     */
    public static void writeField(JsonGenerator json, String name, double millis) throws IOException {
        long hundredths = Math.round(millis * 100);
        if (hundredths < 0 || hundredths >= SPELLED_BELOW || hundredths / 100.0 != millis) {
            json.writeNumberField(name, millis);
            return;
        }
        json.writeFieldName(name);
        json.writeNumber(spell(hundredths));
    }

    /** {@code 1234} → {@code "12.34"}, {@code 1230} → {@code "12.3"}, {@code 1200} → {@code "12.0"}. */
    static String spell(long hundredths) {
        int fraction = (int) (hundredths % 100);
        StringBuilder text = new StringBuilder(12).append(hundredths / 100).append('.');
        if (fraction % 10 == 0) {
            return text.append(fraction / 10).toString();
        }
        return text.append(fraction < 10 ? "0" : "").append(fraction).toString();
    }
}
