package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Server information: ECHO, DBSIZE, INFO, TIME (PING lives in {@link Server}). */
final class ServerInfo {

    /** A plain decimal integer; "00000000" (redis_git_sha1) is an identifier, not zero. */
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern PAIRS = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=[^,=]*(,[A-Za-z_][A-Za-z0-9_]*=[^,=]*)*");

    static final Param MESSAGE = Params.MESSAGE.asRequired().describedAs("Text echoed back.");
    static final Param SECTION = Param.optional("section", ParamType.STRING,
            "One INFO section (server, clients, memory, stats, replication, keyspace, ...; default: the usual ones).");

    private ServerInfo() {
    }

    static List<Operation> operations() {
        return new Group("server")
                .op("ECHO", READ, "The message, echoed back.", List.of(MESSAGE),
                        a -> Request.cmd(Command.ECHO).arg(a.string("message")), Results::text)
                .op("DBSIZE", READ, "How many keys the database holds (summed over the masters in cluster mode).", List.of(),
                        a -> Request.cmd(Command.DBSIZE), Results::integer)
                .everyMaster(Operation.ClusterRule.EVERY_MASTER_SUM)
                .op("INFO", READ, "Server information by section: {server: {redis_version, ...}, clients: {...}}.",
                        List.of(SECTION), ServerInfo::info, ServerInfo::sections)
                .op("TIME", READ, "The server's clock: {seconds, microseconds, epochMillis}.", List.of(),
                        a -> Request.cmd(Command.TIME), ServerInfo::time)
                .operations();
    }

    private static Request info(Args args) {
        String section = args.string("section");
        return section == null ? Request.cmd(Command.INFO) : Request.cmd(Command.INFO).arg(section);
    }

    /** "# Server\r\nredis_version:7.0.15\r\n..." as {server: {redis_version: "7.0.15", ...}}. */
    private static JsonNode sections(Response reply, Args args) {
        ObjectNode result = Results.JSON.objectNode();
        ObjectNode section = result;
        for (String line : Results.utf8(reply).split("\r?\n")) {
            String text = line.strip();
            if (text.startsWith("#")) {
                section = result.putObject(text.substring(1).strip().toLowerCase(Locale.ROOT));
                continue;
            }
            int colon = text.indexOf(':');
            if (colon > 0) {
                section.set(text.substring(0, colon), infoValue(text.substring(colon + 1)));
            }
        }
        return result;
    }

    /**
     * A number as a number; a list of {@code name=value} pairs (keyspace {@code db0}, a replica's
     * {@code slave0}, commandstats) as an object of them; anything else as text.
     */
    private static JsonNode infoValue(String value) {
        if (INTEGER.matcher(value).matches()) {
            return Results.JSON.numberNode(Long.parseLong(value));
        }
        if (!PAIRS.matcher(value).matches()) {
            return Results.JSON.textNode(value);
        }
        ObjectNode pairs = Results.JSON.objectNode();
        for (String pair : value.split(",")) {
            int equals = pair.indexOf('=');
            pairs.set(pair.substring(0, equals), infoValue(pair.substring(equals + 1)));
        }
        return pairs;
    }

    /** [unix seconds, microseconds], both bulk strings in RESP2. */
    private static JsonNode time(Response reply, Args args) {
        long seconds = Long.parseLong(Results.utf8(reply.get(0)));
        long micros = Long.parseLong(Results.utf8(reply.get(1)));
        return Results.JSON.objectNode()
                .put("seconds", seconds)
                .put("microseconds", micros)
                .put("epochMillis", seconds * 1000 + micros / 1000);
    }
}
