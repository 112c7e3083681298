package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.config.ReadFrom;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A Redis Cluster: which node owns each hash slot comes from a {@link SlotMap} read with CLUSTER SLOTS,
 * every node it announces checked by the target policy before any connection to it (the password goes
 * there); each node is a {@link StandaloneTarget} with connections of its own. A command follows MOVED
 * (the map is read again) and ASK (on a connection of its own, after ASKING), waits out TRYAGAIN and
 * CLUSTERDOWN, at most {@value #MAX_RETRIES} times; a redirect to an address the checked topology does
 * not list is refused. When a node cannot be reached the map is read again, and a command that did not
 * leave, or a read, is sent where the new map says; so is the map when a call gets no answer in time (a
 * node that hangs neither fails nor closes its connections), asking the node that did not answer last.
 * Reads go to the replicas in sync ({@link ReplicaSet}).
 */
final class ClusterTarget implements Target {

    static final int MAX_RETRIES = 5;
    private static final long REFRESH_NANOS = 100_000_000L; // MOVED to many calls at once: the map is read at most this often
    /** With reads on replicas, the map's age that has a call read it again: replicas' moves send no MOVED. */
    static final long REPLICA_MAP_NANOS = 5_000_000_000L;

    private final ConnectionConfig config;
    private final ClientFactory factory;
    private final Map<String, StandaloneTarget> nodes = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile Future<SlotMap> slots;
    private Future<SlotMap> refreshing;
    private volatile boolean closed;

    ClusterTarget(ConnectionConfig config, ClientFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    @Override
    public ConnectionConfig config() {
        return config;
    }

    @Override
    public Future<Response> send(Request request, Route route) {
        refreshWhenOld(route);
        return send(request, route, 0);
    }

    /** Has the map read again in the background when reads go to replicas and it is older than {@link #REPLICA_MAP_NANOS}. */
    private void refreshWhenOld(Route route) {
        if (route.read() && config.readFrom() != ReadFrom.MASTER) {
            Future<SlotMap> current = slots;
            if (current != null && current.succeeded() && System.nanoTime() - current.result().builtNanos > REPLICA_MAP_NANOS) {
                refresh();
            }
        }
    }

    private Future<Response> send(Request request, Route route, int attempt) {
        Future<SlotMap> map = slots();
        if (map.succeeded()) {
            return sendOn(map.result(), request, route, attempt);
        }
        return map.compose(loaded -> sendOn(loaded, request, route, attempt));
    }

    private Future<Response> sendOn(SlotMap map, Request request, Route route, int attempt) {
        StandaloneTarget node;
        try {
            node = node(map, route);
        } catch (ConnectorException e) {
            return Future.failedFuture(e);
        }
        if (node == null) {
            // readFrom replica, none listed: a replica is announced once it has replicated something, so read again once
            if (attempt == 0) {
                return refresh().compose(again -> sendOn(again, request, route, 1));
            }
            return Future.failedFuture(SlotMap.noReplica(route));
        }
        return node.send(request, route).recover(failure -> retry(failure, request, route, attempt));
    }

    /** What a failed command does next: follow MOVED or ASK, wait out TRYAGAIN or CLUSTERDOWN, or fail. */
    private Future<Response> retry(Throwable failure, Request request, Route route, int attempt) {
        String code = RedisErrors.code(failure);
        if (attempt >= MAX_RETRIES && ("MOVED".equals(code) || "ASK".equals(code))) {
            return Future.failedFuture(new ConnectorException(ErrorCode.CONNECTION_FAILED, "the cluster redirected the"
                    + " command " + MAX_RETRIES + " times; its slots are moving: " + failure.getMessage()));
        }
        if (attempt >= MAX_RETRIES || closed) {
            return Future.failedFuture(SlotMap.namingTheNode(slots, route, failure));
        }
        if ("MOVED".equals(code) || "ASK".equals(code)) {
            boolean ask = "ASK".equals(code);
            if (!ask) {
                refresh();
            }
            return redirected(failure).compose(node -> ask ? asking(node, request, route)
                    : node.send(request, route.onMaster())).recover(again -> retry(again, request, route, attempt + 1));
        }
        if ("TRYAGAIN".equals(code) || "CLUSTERDOWN".equals(code)) {
            if ("CLUSTERDOWN".equals(code)) {
                refresh();
            }
            return factory.vertx().timer(50L * (attempt + 1)).compose(ignored -> send(request, route, attempt + 1));
        }
        if (Failures.isUnreachable(failure)) {
            // a node died or was replaced: the map is read again, and what surely did not run (or only reads) goes where it says
            Future<SlotMap> refreshed = refresh();
            if (failure instanceof NotSent || route.read()) {
                // preferReplica reads on: the master answers while the cluster has not yet marked a dead replica failed
                Route again = route.read() && config.readFrom() == ReadFrom.PREFER_REPLICA ? route.onMaster() : route;
                return refreshed.compose(map -> sendOn(map, request, again, attempt + 1),
                        ignored -> Future.failedFuture(SlotMap.namingTheNode(slots, route, failure)));
            }
        }
        return Future.failedFuture(SlotMap.namingTheNode(slots, route, failure));
    }

    /** ASK: the command on the importing node, preceded by ASKING on the same connection. */
    private Future<Response> asking(StandaloneTarget node, Request request, Route route) {
        return node.exclusive(route, conn -> conn.send(Request.cmd(Command.ASKING)).compose(ok -> conn.send(request)));
    }

    /** The node a MOVED or ASK names, if the checked topology lists it (read again when it does not yet). */
    private Future<StandaloneTarget> redirected(Throwable redirect) {
        // "MOVED 3999 127.0.0.1:6381": an IPv6 address is not bracketed, so the port follows the last colon
        String target = redirect.getMessage().substring(redirect.getMessage().lastIndexOf(' ') + 1);
        int colon = target.lastIndexOf(':');
        HostAndPort announced = new HostAndPort(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        return slots().compose(map -> map.checked(announced) != null ? Future.succeededFuture(map) : refresh())
                .compose(map -> {
                    HostAndPort checked = map.checked(announced);
                    if (checked == null) {
                        return Future.failedFuture(new ConnectorException(ErrorCode.TARGET_NOT_ALLOWED, "the cluster"
                                + " redirected a command to " + announced + ", which its topology (CLUSTER SLOTS) does"
                                + " not list", "nodes: the cluster is changing; retry once its topology is settled"));
                    }
                    return Future.succeededFuture(target(checked, ClientFactory.Role.MASTER));
                });
    }

    @Override
    public Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply) {
        return slots().compose(map -> {
            Outcome[] outcomes = new Outcome[requests.size()];
            Map<StandaloneTarget, List<Integer>> byNode = new LinkedHashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                try {
                    StandaloneTarget node = node(map, routes.get(i));
                    if (node == null) {
                        refresh();
                        throw SlotMap.noReplica(routes.get(i));
                    }
                    byNode.computeIfAbsent(node, key -> new ArrayList<>()).add(i);
                } catch (ConnectorException e) {
                    outcomes[i] = Outcome.failed(e);
                }
            }
            List<Future<?>> parts = new ArrayList<>(byNode.size());
            byNode.forEach((node, positions) -> parts.add(node.pipeline(pick(requests, positions), pick(routes, positions),
                    onReply)
                    .onSuccess(answers -> {
                        for (int j = 0; j < positions.size(); j++) {
                            outcomes[positions.get(j)] = answers.get(j);
                        }
                    }).onFailure(failure -> positions.forEach(position -> outcomes[position] = Outcome.failed(failure)))));
            return Future.join(parts).transform(ignored -> retryEach(requests, routes, outcomes, onReply));
        });
    }

    /** The items of a pipeline a redirect, a busy slot or a lost node answered go again, one by one. */
    private Future<List<Outcome>> retryEach(List<Request> requests, List<Route> routes, Outcome[] outcomes,
            OnReply onReply) {
        List<Future<?>> again = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            Throwable failure = outcomes[i].failure();
            if (failure != null && retries(failure, routes.get(i))) {
                int position = i;
                again.add(retry(failure, requests.get(i), routes.get(i), 0).compose(onReply::accept)
                        .andThen(done -> outcomes[position] = done.succeeded() ? Outcome.of(done.result())
                                : Outcome.failed(done.cause())));
            }
        }
        return Future.join(again).transform(ignored -> Future.succeededFuture(Arrays.asList(outcomes)));
    }

    private static boolean retries(Throwable failure, Route route) {
        String code = RedisErrors.code(failure);
        return "MOVED".equals(code) || "ASK".equals(code) || "TRYAGAIN".equals(code) || "CLUSTERDOWN".equals(code)
                || failure instanceof NotSent || route.read() && Failures.isUnreachable(failure);
    }

    @Override
    public <T> Future<T> exclusive(Route route, Function<RedisConnection, Future<T>> work) {
        return slots().compose(map -> {
            StandaloneTarget node;
            try {
                node = node(map, route.onMaster());
            } catch (ConnectorException e) {
                return Future.failedFuture(e);
            }
            // a transaction that met MOVED was not applied (EXECABORT); the next one should find the right node
            return node.exclusive(route, work).onFailure(failure -> refresh());
        });
    }

    @Override
    public Future<List<Target>> masters() {
        return slots().map(map -> map.masters().stream().<Target>map(address -> target(address, ClientFactory.Role.MASTER))
                .toList());
    }

    @Override
    public Future<RedisConnection> dedicated(Route route) {
        return slots().compose(map -> {
            try {
                return node(map, route.onMaster()).dedicated(route);
            } catch (ConnectorException e) {
                return Future.failedFuture(e);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        nodes.values().forEach(StandaloneTarget::close);
    }

    /**
     * The node of a route: the slot's master, or one of its replicas for a read when readFrom says
     * so; null when readFrom is replica and the map lists no replica for the slot.
     */
    private StandaloneTarget node(SlotMap map, Route route) {
        if (closed) {
            throw Linger.closedFailure();
        }
        if (route.slot() < 0) {
            List<HostAndPort> masters = map.masters();
            if (masters.isEmpty()) {
                throw SlotMap.clusterDown("no master serves any slot");
            }
            return target(masters.get(Math.floorMod(next.getAndIncrement(), masters.size())), ClientFactory.Role.MASTER);
        }
        HostAndPort master = map.master(route.slot());
        if (master == null) {
            throw SlotMap.clusterDown("no master serves hash slot " + route.slot());
        }
        if (route.read() && config.readFrom() != ReadFrom.MASTER) {
            List<HostAndPort> replicas = map.replicas(route.slot());
            if (!replicas.isEmpty()) {
                return target(replicas.get(Math.floorMod(next.getAndIncrement(), replicas.size())),
                        ClientFactory.Role.CLUSTER_REPLICA);
            }
            if (config.readFrom() == ReadFrom.REPLICA) {
                return null;
            }
        }
        return target(master, ClientFactory.Role.MASTER);
    }

    private StandaloneTarget target(HostAndPort address, ClientFactory.Role role) {
        return nodes.computeIfAbsent(role.name() + ' ' + address, key -> factory.node(config, address, role));
    }

    private Future<SlotMap> slots() {
        Future<SlotMap> current = slots;
        return current != null ? current : refresh();
    }

    /** Reads the map again (one read at a time, at most every {@link #REFRESH_NANOS}), from a known node or a seed. */
    private Future<SlotMap> refresh() {
        return refresh(null);
    }

    /** {@link #refresh()}, asking {@code last} (a node that did not answer, or null) after every other. */
    private synchronized Future<SlotMap> refresh(HostAndPort last) {
        if (refreshing != null) {
            return refreshing;
        }
        Future<SlotMap> current = slots;
        if (current != null && current.succeeded() && System.nanoTime() - current.result().builtNanos < REFRESH_NANOS) {
            return current;
        }
        List<HostAndPort> candidates = new ArrayList<>();
        if (current != null && current.succeeded()) {
            candidates.addAll(current.result().masters());
        }
        config.nodes().stream().filter(seed -> !candidates.contains(seed)).forEach(candidates::add);
        if (last != null && candidates.remove(last)) {
            candidates.add(last);
        }
        Future<SlotMap> loading = SlotMap.load(factory, config, candidates).compose(map -> config.readFrom() == ReadFrom.MASTER
                ? Future.succeededFuture(map) : ReplicaSet.inSync(factory.vertx(), config, map,
                        replica -> target(replica, ClientFactory.Role.CLUSTER_REPLICA)));
        refreshing = loading;
        loading.onComplete(done -> loaded(loading));
        return loading;
    }

    private synchronized void loaded(Future<SlotMap> loading) {
        refreshing = null;
        if (loading.succeeded()) {
            slots = loading;
        }
    }

    @Override
    public String unanswered(Route route) {
        Future<SlotMap> current = slots;
        HostAndPort suspect = current != null && current.succeeded() && route.slot() >= 0
                ? current.result().master(route.slot()) : null;
        refresh(suspect);
        if (suspect == null) {
            return null;
        }
        return route.read() && config.readFrom() != ReadFrom.MASTER ? "a replica (or the master) of hash slot " + route.slot()
                : "the master of hash slot " + route.slot() + " (" + suspect + ")";
    }

    /** A call still waiting for the first map when its deadline passed sent nothing: it is sent once the map says where. */
    @Override
    public ConnectorException stillWaiting(long deadlineMs) {
        return slots == null ? Failures.noSlotMap(config, deadlineMs) : null;
    }

    private static <T> List<T> pick(List<T> all, List<Integer> positions) {
        return positions.stream().map(all::get).toList();
    }
}
