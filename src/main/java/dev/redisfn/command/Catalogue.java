package dev.redisfn.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;
import dev.redisfn.model.Suggestions;

/** Every operation, found by its case-insensitive name: the one registry dispatch goes through. */
@Singleton
public class Catalogue {

    /** Characters of a caller's value quoted in an error message. */
    private static final int QUOTED = 64;

    private final Map<String, Operation> byName = new LinkedHashMap<>();

    public Catalogue() {
        Stream.of(Keys.operations(), Strings.operations(), Lists.operations(), Hashes.operations(),
                Sets.operations(), SortedSets.operations(), SortedSetAlgebra.operations(), BlockingPops.operations(),
                Server.operations(), ServerInfo.operations(), Streams.operations(), StreamPending.operations(),
                StreamConsumer.operations(), HyperLogLogs.operations(), Geo.operations(), PubSub.operations(),
                Scripting.operations(), Helpers.operations(), Admin.operations(), TencentCompat.operations())
                .flatMap(List::stream)
                .forEach(this::register);
    }

    public Operation find(String name) {
        if (name == null || name.isBlank()) {
            throw ConnectorException.invalidRequest("operation: required (e.g. \"GET\"); GET /operations lists them");
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        Operation operation = byName.get(upper);
        if (operation == null && upper.indexOf(' ') > 0) {
            // Redis writes subcommands with a space ("XGROUP CREATE"); the catalogue names them with a dot
            upper = upper.replaceAll("\\s+", ".");
            operation = byName.get(upper);
        }
        if (operation == null && Admin.NEVER.contains(upper.split("[.\\s]", 2)[0])) {
            throw new ConnectorException(ErrorCode.COMMAND_NOT_ALLOWED,
                    "operation: " + Fields.clip(upper, QUOTED) + " is a command this connector never sends ("
                            + (upper.startsWith("SORT") ? "its BY and GET patterns reach keys the call does not name"
                                    : upper.startsWith("FCALL") || upper.startsWith("EVAL") ? "functions and scripts run"
                                            + " past the command policy; EVAL and EVALSHA serve where scripting is on"
                                    : "administrative") + ")");
        }
        if (operation == null) {
            throw new ConnectorException(ErrorCode.UNKNOWN_OPERATION,
                    "operation: no operation named '" + Fields.clip(name, QUOTED) + "'"
                            + Suggestions.didYouMean(upper, byName.keySet()) + "; GET /operations lists them");
        }
        return operation;
    }

    public Collection<Operation> all() {
        return byName.values();
    }

    /** The operations of a group; {@code hash}, {@code hashes} and {@code HASH} name the same group. */
    public List<Operation> group(String group) {
        String wanted = normalizeGroup(group);
        List<Operation> found = new ArrayList<>();
        Set<String> groups = new LinkedHashSet<>();
        for (Operation operation : byName.values()) {
            groups.add(operation.group());
            if (normalizeGroup(operation.group()).equals(wanted)) {
                found.add(operation);
            }
        }
        if (found.isEmpty()) {
            throw ConnectorException.invalidRequest("group: no group named '" + Fields.clip(group, QUOTED) + "' (groups: "
                    + String.join(", ", groups) + ")");
        }
        return found;
    }

    private static String normalizeGroup(String group) {
        String name = group.trim().toLowerCase(Locale.ROOT).replace("_", "-").replace(" ", "-");
        if (name.equals("zset") || name.equals("zsets") || name.equals("sortedset") || name.equals("sortedsets")) {
            return "sorted-set";
        }
        if (name.endsWith("hes") || name.endsWith("xes") || name.endsWith("ses")) {
            return name.substring(0, name.length() - 2);
        }
        return name.endsWith("s") && !name.endsWith("ss") ? name.substring(0, name.length() - 1) : name;
    }

    private void register(Operation operation) {
        if (byName.putIfAbsent(operation.name().toUpperCase(Locale.ROOT), operation) != null) {
            throw new IllegalStateException("operation declared twice: " + operation.name());
        }
    }
}
