package dev.redisfn.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline; no bare sleeps anywhere in this package. */
public final class Waits {

    /** Deadline the topologies use for each step of their bring-up. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private static final long POLL_MILLIS = 50;

    private Waits() {
    }

    /**
     * Thrown by a condition to stop waiting at once (for example: the process it waits for died).
     * Any other exception a condition throws counts as "not yet" and is reported if the wait times out.
     */
    public static final class GiveUp extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public GiveUp(String message) {
            super(message);
        }

        public GiveUp(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Polls {@code condition} every 50 ms until it is true; throws IllegalStateException after {@code deadline}. */
    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(what, deadline, condition, null);
    }

    /**
     * Like {@link #until(String, Duration, BooleanSupplier)}; on timeout the message also carries
     * {@code details.get()} (for example process log tails).
     */
    public static void until(String what, Duration deadline, BooleanSupplier condition, Supplier<String> details) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (GiveUp e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            long now = System.nanoTime();
            if (now - end >= 0) {
                StringBuilder msg = new StringBuilder("timed out after ")
                        .append(seconds(deadline)).append(" waiting for ").append(what);
                if (last != null) {
                    msg.append("; last error: ").append(last);
                }
                if (details != null) {
                    try {
                        String d = details.get();
                        if (d != null && !d.isBlank()) {
                            msg.append('\n').append(d);
                        }
                    } catch (RuntimeException e) {
                        msg.append("\n(details unavailable: ").append(e).append(')');
                    }
                }
                throw new IllegalStateException(msg.toString(), last);
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, (end - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
