package dev.redisfn.operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redisfn.connection.RedisTarget;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.ZModem;
import io.vertx.redis.client.impl.types.MultiType;
import io.vertx.redis.client.impl.types.NumberType;

/**
 * Cluster-mode rules for keys: multi-key reads and deletes are split per hash slot and answered
 * in the caller's order; anything that must run on one slot is refused before it is sent.
 */
public final class ClusterSplit {

    private ClusterSplit() {
    }

    public static int slot(String key) {
        return ZModem.generate(key);
    }

    /** Runs a {@link Operation.KeySplit} operation as one command per slot and recombines the replies. */
    static Uni<Response> run(Operation operation, List<String> keys, RedisTarget target) {
        Map<Integer, List<Integer>> positionsBySlot = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            positionsBySlot.computeIfAbsent(slot(keys.get(i)), s -> new ArrayList<>()).add(i);
        }
        if (positionsBySlot.size() == 1) {
            return target.send(operation.requestForKeys(keys));
        }
        List<List<Integer>> groups = new ArrayList<>(positionsBySlot.values());
        List<Uni<Response>> parts = new ArrayList<>(groups.size());
        for (List<Integer> positions : groups) {
            List<String> groupKeys = new ArrayList<>(positions.size());
            positions.forEach(position -> groupKeys.add(keys.get(position)));
            parts.add(target.send(operation.requestForKeys(groupKeys)));
        }
        return Uni.join().all(parts).andFailFast()
                .map(replies -> combine(operation.split(), keys.size(), groups, replies));
    }

    /** Fails with CROSS_SLOT, naming the keys, when the keys do not all hash to one slot. */
    public static void requireOneSlot(List<String> keys, String what) {
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String key : keys) {
            bySlot.computeIfAbsent(slot(key), s -> new ArrayList<>()).add(key);
        }
        if (bySlot.size() > 1) {
            StringBuilder detail = new StringBuilder();
            bySlot.forEach((slot, slotKeys) -> detail.append(detail.length() == 0 ? "" : "; ")
                    .append("slot ").append(slot).append(": ").append(String.join(", ", slotKeys)));
            throw new ConnectorException(ErrorCode.CROSS_SLOT, what + " needs all keys in one hash slot in cluster mode, "
                    + "but they span " + bySlot.size() + " slots (" + detail + ")",
                    "use a hash tag such as {user:1}:a and {user:1}:b so the keys share a slot");
        }
    }

    private static Response combine(Operation.KeySplit split, int size, List<List<Integer>> groups,
            List<Response> replies) {
        if (split == Operation.KeySplit.SUM) {
            long total = 0;
            for (Response reply : replies) {
                total += reply.toLong();
            }
            return NumberType.create(total);
        }
        Response[] ordered = new Response[size];
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> positions = groups.get(g);
            for (int i = 0; i < positions.size(); i++) {
                ordered[positions.get(i)] = replies.get(g).get(i);
            }
        }
        MultiType multi = MultiType.create(size, false);
        for (Response reply : ordered) {
            multi.add(reply);
        }
        return multi;
    }
}
