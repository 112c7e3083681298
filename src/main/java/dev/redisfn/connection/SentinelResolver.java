package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Asks the sentinels where the master of {@code masterName} is — all at once, the first address
 * one announces wins (the node must then confirm with ROLE), so that a sentinel that hangs costs
 * nothing while another answers — and, one after the other, for its replicas. Sentinels are asked with {@code sentinelUsername/sentinelPassword} when given,
 * otherwise without credentials and, if a sentinel demands them, with the data credentials.
 */
public final class SentinelResolver {

    private final ConnectionConfig config;
    private final ClientFactory factory;

    public SentinelResolver(ConnectionConfig config, ClientFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    public Future<HostAndPort> resolveMaster() {
        List<HostAndPort> sentinels = config.nodes();
        Promise<HostAndPort> found = Promise.promise();
        Miss[] misses = new Miss[sentinels.size()];
        AtomicInteger pending = new AtomicInteger(sentinels.size());
        for (int i = 0; i < sentinels.size(); i++) {
            int index = i;
            HostAndPort sentinel = sentinels.get(i);
            askOne(sentinel).onComplete(answer -> {
                if (answer.succeeded() && answer.result() != null) {
                    found.tryComplete(answer.result());
                } else {
                    misses[index] = new Miss(sentinel, answer.cause());
                }
                if (pending.decrementAndGet() == 0) {
                    found.tryFail(noMaster(Arrays.stream(misses).filter(Objects::nonNull).toList()));
                }
            });
        }
        return found.future();
    }

    /** A sentinel that named no master: its failure, or null when it does not know the master name. */
    private record Miss(HostAndPort sentinel, Throwable failure) {

        boolean unknownName() {
            return failure == null;
        }

        boolean credentialsRefused() {
            return failure != null && Failures.isAuthProblem(failure);
        }

        String described(String masterName) {
            return sentinel + ": " + (failure == null ? "master name '" + masterName + "' unknown" : Failures.describe(failure));
        }
    }

    /** The master address one sentinel announces; null when the master name is unknown to it. */
    Future<HostAndPort> askOne(HostAndPort sentinel) {
        return sentinelCall(sentinel, masterAddressRequest()).map(SentinelResolver::address);
    }

    /**
     * The replicas the sentinels know for the master that are up — not down, not disconnected — from
     * the first sentinel that answers; when none does, why (a master name none monitors, as for the
     * master).
     */
    Future<List<HostAndPort>> replicas() {
        return replicas(0, new ArrayList<>());
    }

    private Future<List<HostAndPort>> replicas(int index, List<Miss> misses) {
        if (index >= config.nodes().size()) {
            return Future.failedFuture(noMaster(misses));
        }
        HostAndPort sentinel = config.nodes().get(index);
        Request request = Request.cmd(Command.SENTINEL).arg("replicas").arg(config.masterName());
        return sentinelCall(sentinel, request).map(SentinelResolver::upReplicas).recover(failure -> {
            misses.add(new Miss(sentinel, RedisErrors.saysNoSuchMaster(failure) ? null : failure));
            return replicas(index + 1, misses);
        });
    }

    /** What one sentinel says now: the master's address (null if it does not know the name) and, when asked, the replicas up. */
    record Sighting(HostAndPort master, List<HostAndPort> replicas) {
    }

    /**
     * Asks one sentinel (the {@code turn}-th, round robin) for the master and, with {@code replicasToo},
     * its replicas, on one connection: the light look that a target takes now and then between failures.
     */
    Future<Sighting> look(int turn, boolean replicasToo) {
        HostAndPort sentinel = config.nodes().get(Math.floorMod(turn, config.nodes().size()));
        List<Request> requests = replicasToo
                ? List.of(masterAddressRequest(), Request.cmd(Command.SENTINEL).arg("replicas").arg(config.masterName()))
                : List.of(masterAddressRequest());
        return sentinelCalls(sentinel, requests).compose(ClientFactory::replies).map(replies -> new Sighting(
                address(replies.get(0)), replicasToo ? upReplicas(replies.get(1)) : null));
    }

    /**
     * One reply of SENTINEL replicas (a list of field/value lists, RESP2): those not down or
     * disconnected. Whether one serves reads — reports the replica role, in sync with its master — is
     * its own word ({@link ReplicaSet}): the sentinels learn it only at their next INFO, seconds later
     * (a restarted old master is listed as a replica before it is one, a demoted master as a master
     * after it synced).
     */
    static List<HostAndPort> upReplicas(Response reply) {
        List<HostAndPort> replicas = new ArrayList<>();
        if (reply == null) {
            return replicas;
        }
        for (Response replica : reply) {
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i + 1 < replica.size(); i += 2) {
                fields.put(replica.get(i).toString(), replica.get(i + 1).toString());
            }
            String flags = fields.getOrDefault("flags", "");
            boolean up = !flags.contains("down") && !flags.contains("disconnected");
            if (up && fields.containsKey("ip") && fields.containsKey("port")) {
                replicas.add(new HostAndPort(fields.get("ip"), Integer.parseInt(fields.get("port"))));
            }
        }
        return replicas;
    }

    /** A command to one sentinel with the sentinel credentials (see the class comment). */
    Future<Response> sentinelCall(HostAndPort sentinel, Request request) {
        return sentinelCalls(sentinel, List.of(request)).compose(ClientFactory::replies).map(replies -> replies.get(0));
    }

    /**
     * Several commands, pipelined, to one sentinel, each answered on its own (see {@link
     * ClientFactory#once}). Without sentinel credentials they go without any, then — when the
     * sentinel demands a password, at connect or per command — with the data credentials.
     */
    public Future<List<Outcome>> sentinelCalls(HostAndPort sentinel, List<Request> requests) {
        if (config.hasSentinelCredentials()) {
            return factory.once(config, sentinel, config.sentinelUsername(), config.sentinelPassword(), requests);
        }
        // a sentinel that wants a password: its answer to the second attempt, made with the data credentials, stands
        return factory.once(config, sentinel, null, null, requests)
                .transform(first -> {
                    boolean demanded = first.failed() ? demandsAuth(first.cause())
                            : first.result().stream().anyMatch(outcome -> demandsAuth(outcome.failure()));
                    return demanded ? factory.onceAsData(config, sentinel, requests)
                            : first.failed() ? Future.failedFuture(first.cause()) : Future.succeededFuture(first.result());
                });
    }

    /** SENTINEL get-master-addr-by-name for the configured master name. */
    Request masterAddressRequest() {
        return Request.cmd(Command.SENTINEL).arg("get-master-addr-by-name").arg(config.masterName());
    }

    /** A NOAUTH the data password may answer. */
    private boolean demandsAuth(Throwable failure) {
        return (config.password() != null || config.auth() != null) && failure != null && RedisErrors.is(failure, "NOAUTH");
    }

    private ConnectorException noMaster(List<Miss> misses) {
        if (!misses.isEmpty() && misses.stream().allMatch(miss -> miss.failure() != null
                && RedisErrors.isErrorReply(miss.failure()) && RedisErrors.saysUnknownCommand(miss.failure().getMessage(), "sentinel"))) {
            return ConnectorException.notRetryable(ErrorCode.INVALID_CONNECTION, "no sentinel at " + config.nodes()
                    + ": they are Redis data nodes, which do not know SENTINEL",
                    "nodes: give the sentinels' addresses (port 26379 by default), or use mode standalone");
        }
        boolean unknownName = misses.stream().allMatch(Miss::unknownName);
        boolean authRejected = misses.stream().anyMatch(Miss::credentialsRefused);
        String hint = unknownName
                ? "masterName: no sentinel knows a master named '" + config.masterName() + "'"
                : authRejected ? "sentinelPassword: the sentinels rejected the credentials"
                        : "nodes: check the sentinel addresses and that they are running";
        String message = "no master known to the sentinels for '" + config.masterName() + "' ("
                + String.join("; ", misses.stream().map(miss -> miss.described(config.masterName())).toList()) + ")";
        if (unknownName) {
            // every sentinel answered and none monitors that name: a misconfiguration, which no retry mends
            return ConnectorException.notRetryable(ErrorCode.CONNECTION_FAILED, message, hint);
        }
        return new ConnectorException(authRejected ? ErrorCode.AUTH_FAILED : ErrorCode.CONNECTION_FAILED, message, hint);
    }

    /** The master the sentinels name does not answer: they have not failed over (yet), which is not the caller's config. */
    static ConnectorException masterDown(String masterName, HostAndPort announced, String cause) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "the master the sentinels name for '"
                + masterName + "', " + announced + ", does not answer: " + cause,
                "masterName: the sentinels still name a master that is down; they fail over once it has been down for"
                        + " their down-after-milliseconds (if a replica can take over) — retry shortly");
    }

    /** The node the sentinels announce does not say it is a master (ROLE): their answer lags a failover. */
    static ConnectorException notYetMaster() {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED,
                "the sentinels announce a master that is not (yet) a master; a failover may be under way");
    }

    /** A call's deadline passed while the sentinels were still being asked for the master. */
    static ConnectorException silent(ConnectionConfig config, long deadlineMs) {
        return new ConnectorException(ErrorCode.TIMEOUT, "the sentinels " + config.nodes() + " named no master for '"
                + config.masterName() + "' within " + deadlineMs + " ms; nothing was sent to Redis",
                "nodes: check that the sentinels run and answer — POST /test-connection asks each");
    }

    /** A call's deadline passed while the master the sentinels named was still to confirm its role. */
    static ConnectorException unconfirmed(ConnectionConfig config, HostAndPort named, long deadlineMs) {
        return new ConnectorException(ErrorCode.TIMEOUT, "the master the sentinels name for '" + config.masterName()
                + "', " + named + ", did not answer ROLE within " + deadlineMs + " ms; nothing else was sent to it",
                "nodes: that server is paused or busy, or the sentinels name a server that hangs —"
                        + " POST /test-connection probes it");
    }

    /** readFrom replica, and no replica serves reads: of {@code up} replicas the sentinels report as up, none in sync. */
    static ConnectorException noReplica(ConnectionConfig config, int up) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "no replica of '" + config.masterName()
                + "' serves reads: " + (up == 0 ? "the sentinels report none that is up" : up + " up, none in sync with"
                        + " the master (ROLE) and answering within " + ReplicaSet.deadlineMs(config) + " ms"),
                "readFrom: use readFrom preferReplica to fall back to the master while no replica serves");
    }

    static HostAndPort address(Response reply) {
        if (reply == null || reply.size() < 2) {
            return null;
        }
        return new HostAndPort(reply.get(0).toString(), reply.get(1).toInteger());
    }
}
