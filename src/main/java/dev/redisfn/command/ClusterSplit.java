package dev.redisfn.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.redisfn.connection.Route;
import dev.redisfn.connection.Slots;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Cluster-mode rules for keys: multi-key reads and deletes are split per hash slot and answered
 * in the caller's order; anything that must run on one slot is refused before it is sent.
 */
public final class ClusterSplit {

    private ClusterSplit() {
    }

    /**
     * Runs a split operation as one command per slot and combines the answers: the counts summed
     * (DEL, EXISTS ...), or the array elements put back in the caller's order (MGET). Each part
     * reports its reply to {@code replies} (the call's reply budget).
     */
    static Future<JsonNode> run(Operation operation, Args args, Target target, ReplyAccount replies) {
        Operation.ClusterRule rule = operation.traits().cluster();
        List<String> keys = rule == Operation.ClusterRule.SPLIT_ENTRIES ? args.slotKeys() : args.keyList();
        Map<Integer, List<Integer>> positionsBySlot = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            positionsBySlot.computeIfAbsent(Slots.of(keys.get(i)), s -> new ArrayList<>()).add(i);
        }
        boolean read = operation.access() == Access.READ;
        List<List<Integer>> groups = new ArrayList<>(positionsBySlot.values());
        List<Future<Response>> parts = new ArrayList<>(groups.size());
        for (Map.Entry<Integer, List<Integer>> group : positionsBySlot.entrySet()) {
            List<String> groupKeys = new ArrayList<>(group.getValue().size());
            group.getValue().forEach(position -> groupKeys.add(keys.get(position)));
            Request part = rule == Operation.ClusterRule.SPLIT_ENTRIES
                    ? Strings.entries(operation.traits().splitCommand(), args, groupKeys) : operation.requestForKeys(groupKeys);
            parts.add(target.send(part, Route.of(group.getKey(), read)).compose(replies::charge));
        }
        return Future.all(parts).map(all -> {
            if (rule == Operation.ClusterRule.SPLIT_ENTRIES) {
                return operation.map(all.resultAt(0), args);
            }
            if (rule == Operation.ClusterRule.SPLIT_SUM) {
                long total = 0;
                for (int g = 0; g < groups.size(); g++) {
                    total += all.<Response>resultAt(g).toLong();
                }
                return Results.JSON.numberNode(total);
            }
            JsonNode[] ordered = new JsonNode[keys.size()];
            for (int g = 0; g < groups.size(); g++) {
                Response reply = all.resultAt(g);
                List<Integer> positions = groups.get(g);
                for (int i = 0; i < positions.size(); i++) {
                    ordered[positions.get(i)] = Results.value(reply.get(i), args);
                }
            }
            ArrayNode array = Results.JSON.arrayNode(ordered.length);
            for (JsonNode element : ordered) {
                array.add(element);
            }
            return array;
        });
    }

    /** The slot all of these keys share in cluster mode, or -1 for none; fails with CROSS_SLOT when they span several. */
    public static int requireOneSlot(List<String> keys, String what) {
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String key : keys) {
            bySlot.computeIfAbsent(Slots.of(key), s -> new ArrayList<>()).add(key);
        }
        if (bySlot.size() > 1) {
            StringBuilder detail = new StringBuilder();
            bySlot.forEach((slot, slotKeys) -> detail.append(detail.length() == 0 ? "" : "; ")
                    .append("slot ").append(slot).append(": ").append(String.join(", ", slotKeys)));
            throw new ConnectorException(ErrorCode.CROSS_SLOT, what + " needs all keys in one hash slot in cluster mode, "
                    + "but they span " + bySlot.size() + " slots (" + detail + ")",
                    "use a hash tag such as {user:1}:a and {user:1}:b so the keys share a slot");
        }
        return bySlot.isEmpty() ? -1 : bySlot.keySet().iterator().next();
    }
}
