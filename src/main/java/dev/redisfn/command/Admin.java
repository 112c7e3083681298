package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Administrative operations. Every one is off by default (403 COMMAND_NOT_ALLOWED) and a
 * deployment enables the ones it wants by name ({@code connector.commands.enabled}).
 */
final class Admin {

    static final Param ASYNC = Param.optional("async", ParamType.BOOLEAN, "Free memory in the background.")
            .withDefault(false);
    static final Param PARAMETER = Param.required("parameter", ParamType.STRING, "A configuration parameter (glob for GET).");
    static final Param PARAMETER_VALUE = Param.required("value", ParamType.STRING, "The new value.");

    /**
     * Redis commands this connector never sends, whatever the configuration: asking for one is
     * answered 403, not "unknown operation", so a flow learns it is a policy, not a typo.
     */
    static final List<String> NEVER = List.of("SHUTDOWN", "DEBUG", "MODULE", "ACL", "REPLICAOF", "SLAVEOF", "MIGRATE",
            "FAILOVER", "CLUSTER", "SAVE", "BGSAVE", "BGREWRITEAOF", "SYNC", "PSYNC", "MONITOR", "SWAPDB", "RESTORE-ASKING",
            "LATENCY", "PFDEBUG", "PFSELFTEST", "SENTINEL", "FUNCTION", "SCRIPT", "CONFIG", "CLIENT", "REPLCONF",
            "LASTSAVE", "ROLE", "SORT", "SORT_RO", "SLOWLOG", "FCALL", "FCALL_RO", "EVAL_RO", "EVALSHA_RO");

    private Admin() {
    }

    static List<Operation> operations() {
        return new Group("admin")
                .op("FLUSHDB", WRITE, "Delete every key of the database.", List.of(ASYNC),
                        a -> a.flag("async") ? Request.cmd(Command.FLUSHDB).arg("ASYNC") : Request.cmd(Command.FLUSHDB),
                        Results::bool)
                .admin()
                .everyMaster(Operation.ClusterRule.EVERY_MASTER)
                .op("FLUSHALL", WRITE, "Delete every key of every database.", List.of(ASYNC),
                        a -> a.flag("async") ? Request.cmd(Command.FLUSHALL).arg("ASYNC") : Request.cmd(Command.FLUSHALL),
                        Results::bool)
                .admin()
                .everyMaster(Operation.ClusterRule.EVERY_MASTER)
                .op("CONFIG.GET", READ, "Server configuration parameters matching a glob, as an object.", List.of(PARAMETER),
                        a -> Request.cmd(Command.CONFIG).arg("GET").arg(a.string("parameter")), Admin::pairs)
                .admin()
                .op("CONFIG.SET", WRITE, "Change a server configuration parameter.", List.of(PARAMETER, PARAMETER_VALUE),
                        a -> Request.cmd(Command.CONFIG).arg("SET").arg(a.string("parameter")).arg(a.string("value")),
                        Results::bool)
                .admin()
                .op("CLIENT.LIST", READ, "The server's client connections, as text lines.", List.of(),
                        a -> Request.cmd(Command.CLIENT).arg("LIST"), Results::text)
                .admin()
                .op("SCRIPT.FLUSH", WRITE, "Remove every cached Lua script.", List.of(),
                        a -> Request.cmd(Command.SCRIPT).arg("FLUSH"), Results::bool)
                .admin()
                .everyMaster(Operation.ClusterRule.EVERY_MASTER)
                .op("SCRIPT.KILL", WRITE, "Stop the running Lua script (if it wrote nothing).", List.of(),
                        a -> Request.cmd(Command.SCRIPT).arg("KILL"), Results::bool)
                .admin()
                .operations();
    }

    private static JsonNode pairs(Response reply, Args args) {
        ObjectNode object = Results.JSON.objectNode();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            object.put(Results.utf8(reply.get(i)), Results.utf8(reply.get(i + 1)));
        }
        return object;
    }
}
