package dev.redisfn.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What a redis-server says about its clients: INFO counters and the names in CLIENT LIST. */
public final class ServerStats {

    private ServerStats() {
    }

    /** A numeric field of one INFO section ({@code clients}, {@code stats} ...). */
    public static long info(RespClient client, String section, String field) {
        String value = RespClient.infoField(client.callString("INFO", section), field);
        if (value == null) {
            throw new IllegalStateException("INFO " + section + " has no field " + field);
        }
        return Long.parseLong(value);
    }

    /** Connections open right now, the asking one included. */
    public static long connectedClients(RespClient client) {
        return info(client, "clients", "connected_clients");
    }

    /** Connections accepted since the server started. */
    public static long totalConnectionsReceived(RespClient client) {
        return info(client, "stats", "total_connections_received");
    }

    /** The {@code name=} of every connection in CLIENT LIST ("" for unnamed ones). */
    public static List<String> clientNames(RespClient client) {
        List<String> names = new ArrayList<>();
        for (String line : client.callString("CLIENT", "LIST").split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            String name = "";
            for (String field : line.split(" ")) {
                if (field.startsWith("name=")) {
                    name = field.substring("name=".length());
                }
            }
            names.add(name);
        }
        return names;
    }

    /** How many connections carry a name the predicate accepts. */
    public static long clientsNamed(RespClient client, Predicate<String> name) {
        return clientNames(client).stream().filter(name).count();
    }
}
