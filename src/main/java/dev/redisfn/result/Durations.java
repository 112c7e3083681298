package dev.redisfn.result;

/** The {@code durationMs} of results and reports: milliseconds with two decimals. */
public final class Durations {

    private Durations() {
    }

    public static double millisSince(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 10_000.0) / 100.0;
    }
}
