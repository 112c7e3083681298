package dev.redisfn.command;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

/**
 * Which operations this deployment serves: administrative ones only when enabled by name,
 * optionally only reads, optionally only an allow list (names or {@code group:<name>}), and
 * caller-written scripts only when switched on (a script runs past this policy, and Lua has had
 * critical server CVEs).
 */
@Singleton
public class CommandPolicy {

    private final Set<String> enabled;
    private final Set<String> allowed;
    private final boolean readOnly;
    private final boolean scripting;

    public CommandPolicy(ConnectorSettings settings) {
        ConnectorSettings.Commands commands = settings.commands();
        this.enabled = upper(commands.enabled().orElse(List.of()));
        this.allowed = commands.allow().map(CommandPolicy::upper).orElse(null);
        this.readOnly = commands.readOnly();
        this.scripting = commands.scripting();
    }

    public boolean permits(Operation operation) {
        return reason(operation) == null;
    }

    /** Throws COMMAND_NOT_ALLOWED, saying which rule refused the operation. */
    public void check(Operation operation) {
        String reason = reason(operation);
        if (reason != null) {
            throw new ConnectorException(ErrorCode.COMMAND_NOT_ALLOWED,
                    "operation: " + operation.name() + " is not allowed here: " + reason);
        }
    }

    private String reason(Operation operation) {
        String name = operation.name().toUpperCase(Locale.ROOT);
        if (operation.isAdmin() && !enabled.contains(name)) {
            return "administrative operations are off unless enabled by name (connector.commands.enabled)";
        }
        if (readOnly && operation.access() == Access.WRITE) {
            return "this deployment is read-only (connector.commands.read-only)";
        }
        if (!scripting && operation.isScripted()) {
            return "caller-written scripts are off unless connector.commands.scripting=true";
        }
        if (allowed != null && !allowed.contains(name)
                && !allowed.contains("GROUP:" + operation.group().toUpperCase(Locale.ROOT))) {
            return "it is not in this deployment's allow list (connector.commands.allow)";
        }
        return null;
    }

    private static Set<String> upper(List<String> names) {
        Set<String> set = new TreeSet<>();
        names.forEach(name -> set.add(name.trim().toUpperCase(Locale.ROOT)));
        return set;
    }
}
