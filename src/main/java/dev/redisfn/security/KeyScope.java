package dev.redisfn.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;

/**
 * What the holder of an API key may do: which named connections it may use, whether it may send a
 * connection config of its own, and which kinds of operations it may run — like the read-only
 * tokens of hosted Redis services. {@link #ALL} is the scope of the single {@code connector.api-key}
 * and of a deployment without keys.
 */
public final class KeyScope {

    /** The kinds of operations a scope covers. */
    public enum Category {
        /** Operations that only read. */
        READ,
        /** Operations that write. */
        WRITE,
        /** Administrative operations and caller-written scripts (which the command policy governs too). */
        ADMIN
    }

    public static final KeyScope ALL = new KeyScope(null, null, true, EnumSet.allOf(Category.class));

    private final String name;
    /** Named connections it may use; null for all. */
    private final Set<String> connections;
    private final boolean inline;
    private final Set<Category> categories;

    KeyScope(String name, Set<String> connections, boolean inline, Set<Category> categories) {
        this.name = name;
        this.connections = connections;
        this.inline = inline;
        this.categories = categories;
    }

    /** Whether the key may use this connection: {@code connectionRef}, or an inline config when null. */
    public boolean mayUse(String connectionRef) {
        return connectionRef == null ? inline : connections == null || connections.contains(connectionRef);
    }

    /** {@link #mayUse}, or 403 SCOPE_NOT_ALLOWED. */
    public void checkConnection(String connectionRef) {
        if (!mayUse(connectionRef)) {
            throw refused(connectionRef == null ? "may not send a connection config of its own; use a connectionRef"
                    : "may not use the connection '" + Fields.clip(connectionRef, 64) + "'");
        }
    }

    /** Whether the key may run operations of this kind. */
    public boolean allows(Category category) {
        return categories.contains(category);
    }

    /** Whether the key may run an operation of this kind. */
    public ConnectorException refusal(Category category, String operation) {
        return categories.contains(category) ? null
                : refused("may not run " + operation + " (" + category.name().toLowerCase(Locale.ROOT) + ")");
    }

    private ConnectorException refused(String what) {
        return new ConnectorException(ErrorCode.SCOPE_NOT_ALLOWED, "the API key '" + name + "' " + what,
                "connector.api-keys." + name + ": its connections, inline-connections and categories set its scope");
    }

    static Category category(String setting, String text) {
        try {
            return Category.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": '" + text + "' is not a key category (read, write, admin)");
        }
    }
}
