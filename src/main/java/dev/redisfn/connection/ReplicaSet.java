package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The replicas a config's reads may go to, and which of them serve reads now by their own word: a
 * replica whose ROLE says it is linked to its master and in sync ({@code connected}). The sentinels'
 * and the cluster's view of a replica lags by seconds, and a replica serves what it has — nothing,
 * while its first sync runs; old data, while its link is down — so a read there would answer {@code
 * null} for a key its master holds. A replica that does not answer ROLE within {@link
 * #deadlineMs(ConnectionConfig)} (one that hangs) does not serve either. Asked again whenever its
 * target asks the sentinels or reads the slot map again.
 */
final class ReplicaSet {

    private final List<StandaloneTarget> all;
    private volatile List<StandaloneTarget> serving = List.of();

    ReplicaSet(List<StandaloneTarget> all) {
        this.all = List.copyOf(all);
    }

    /** Every replica known, serving or not: the ones whose connections the set's owner closes. */
    List<StandaloneTarget> all() {
        return all;
    }

    /** The replicas in sync when last asked. */
    List<StandaloneTarget> serving() {
        return serving;
    }

    /** Asks every replica for its ROLE; completes, never failed, once each answered or the deadline passed. */
    Future<ReplicaSet> probe(Vertx vertx, ConnectionConfig config) {
        return inSync(vertx, config, all).map(now -> {
            serving = all.stream().filter(replica -> now.contains(replica.address())).toList();
            return this;
        });
    }

    /** The addresses of those of {@code replicas} in sync with their master now (see the class comment). */
    static Future<Set<HostAndPort>> inSync(Vertx vertx, ConnectionConfig config, List<StandaloneTarget> replicas) {
        List<Future<Boolean>> asked = new ArrayList<>(replicas.size());
        for (StandaloneTarget replica : replicas) {
            asked.add(Deadline.within(vertx, replica.send(Request.cmd(Command.ROLE), Route.ANY_READ),
                    deadlineMs(config), () -> new IllegalStateException("no ROLE answer in time"))
                    .map(ReplicaSet::inSync).otherwise(false));
        }
        return Future.join(asked).map(ignored -> {
            Set<HostAndPort> serving = new HashSet<>();
            for (int i = 0; i < replicas.size(); i++) {
                if (asked.get(i).result()) {
                    serving.add(replicas.get(i).address());
                }
            }
            return serving;
        });
    }

    /**
     * {@code map} with, for each slot range, only the replicas in sync (the cluster lists a replica
     * still in its first sync, and one whose link is down, as any other).
     */
    static Future<SlotMap> inSync(Vertx vertx, ConnectionConfig config, SlotMap map,
            Function<HostAndPort, StandaloneTarget> replicas) {
        List<StandaloneTarget> all = map.replicas().stream().map(replicas).toList();
        return all.isEmpty() ? Future.succeededFuture(map) : inSync(vertx, config, all).map(map::withReplicasOnly);
    }

    /** How long a replica may take to answer ROLE: a small share of a call's time, so that a read can still go elsewhere. */
    static long deadlineMs(ConnectionConfig config) {
        return Math.max(1, Math.min(1000, config.commandTimeoutMs() / 3));
    }

    /** Whether a ROLE reply is a replica's, linked to its master and in sync: {@code [slave, host, port, connected, offset]}. */
    static boolean inSync(Response role) {
        return role != null && role.size() >= 4 && "slave".equals(role.get(0).toString())
                && "connected".equals(role.get(3).toString());
    }

    /** Why a ROLE reply is not a serving replica's, for test-connection; null when it is one. */
    static String problem(Response role) {
        if (inSync(role)) {
            return null;
        }
        if (role == null || role.size() < 4 || !"slave".equals(role.get(0).toString())) {
            return "it reports role " + (role == null || role.size() == 0 ? "none" : role.get(0)) + ", not a replica's";
        }
        return "it is not in sync with its master (ROLE state " + role.get(3) + "): it would serve no or old data";
    }
}
