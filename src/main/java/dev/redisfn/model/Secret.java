package dev.redisfn.model;

import java.util.Objects;

/**
 * A password or key. The only place a secret is held in clear; {@link #toString()} redacts, so a
 * config record that holds one can be logged without leaking it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** {@code null} for a missing or empty value: an empty password means "no password". */
    public static Secret ofNullable(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    /** The clear value, for the AUTH command and for hashing a cache key only. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && value.equals(secret.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
