package dev.redisfn.connection;

import static dev.redisfn.response.Durations.millisSince;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.config.ReadFrom;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.NodeCheck;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * test-connection: probes every node a config names on fresh connections and says what is
 * wrong — wrong password, unknown master name, database out of range, not a sentinel, not a
 * cluster node, cluster not ok, unreachable — and warns about what works but is degraded.
 */
@ApplicationScoped
public class ConnectionTester {

    private final ClientFactory factory;

    public ConnectionTester(ClientFactory factory) {
        this.factory = factory;
    }

    /**
     * What the probes found; {@code problem} is null when the config works. {@code warnings} (each
     * starting with the field concerned, like a hint) say what works now but is degraded.
     */
    public record Verdict(ConnectorException problem, String version, String role, List<NodeCheck> nodes,
            List<String> warnings) {

        public Verdict(ConnectorException problem, String version, String role, List<NodeCheck> nodes) {
            this(problem, version, role, nodes, List.of());
        }
    }

    /** Fails with TARGET_NOT_ALLOWED before any connection when the target policy refuses an address. */
    public Future<Verdict> test(ConnectionConfig requested) {
        return factory.admitted(requested).transform(admitted -> {
            if (admitted.failed()) {
                if (!(admitted.cause() instanceof ConnectorException unresolved)
                        || unresolved.code() != ErrorCode.CONNECTION_FAILED) {
                    return Future.failedFuture(admitted.cause()); // a refused target stays a 403: not allowed, not broken
                }
                return Future.succeededFuture(new Verdict(unresolved, null, null, List.of()));
            }
            ConnectionConfig config = admitted.result();
            // with auth the token comes first: a provider that cannot make one is the verdict (a config it
            // refuses, the event's mistake, a 400), and no node is blamed for it
            Future<?> token = config.auth() == null ? Future.succeededFuture() : factory.dataPassword(config);
            return token.transform(made -> {
                if (made.failed()) {
                    ConnectorException noToken = Failures.classify(made.cause());
                    return noToken.code() == ErrorCode.INVALID_CONNECTION ? Future.failedFuture(noToken)
                            : Future.succeededFuture(new Verdict(noToken, null, null, List.of()));
                }
                return probed(config).map(found -> new Verdict(Failures.ofCredentials(config, found.problem()),
                        found.version(), found.role(), found.nodes(), found.warnings()));
            });
        });
    }

    private Future<Verdict> probed(ConnectionConfig config) {
        Future<Verdict> verdict = switch (config.mode()) {
            case STANDALONE -> standalone(config);
            case SENTINEL -> sentinel(config);
            case CLUSTER -> cluster(config);
        };
        return config.readFrom() == ReadFrom.MASTER ? verdict
                : verdict.compose(found -> found.problem() != null ? Future.succeededFuture(found)
                        : ReplicaProbes.withReplicas(factory, config, found, replica -> probe(config, replica,
                                "replica", List.of(Request.cmd(Command.INFO).arg("server"), Request.cmd(Command.ROLE)))));
    }

    private Future<Verdict> standalone(ConnectionConfig config) {
        HostAndPort node = config.nodes().get(0);
        return probeData(config, node, "data").map(probe -> {
            ConnectorException problem = wrongMode(probe);
            if (problem == null) {
                problem = probe.problem();
            }
            List<String> warnings = new ArrayList<>(probe.warnings(config.commandTimeoutMs()));
            if (problem == null && NodeProbe.isReplica(probe.role())) {
                warnings.add("host: " + node + " is a replica (role " + probe.role() + "): writes will fail with"
                        + " READONLY — point host at the master, or use mode sentinel");
            }
            return new Verdict(problem, probe.version(), probe.role(), List.of(probe.check()), warnings);
        });
    }

    /** A standalone config that reached a cluster node or a sentinel: INFO says which. */
    private static ConnectorException wrongMode(NodeProbe probe) {
        String redisMode = probe.info("redis_mode");
        if ("cluster".equals(redisMode)) {
            return problem(ErrorCode.INVALID_CONNECTION, probe.node() + " is a cluster node",
                    "mode: this server runs Redis Cluster; use mode cluster with its nodes");
        }
        if ("sentinel".equals(redisMode)) {
            return problem(ErrorCode.INVALID_CONNECTION, probe.node() + " is a sentinel, not a data node",
                    "mode: use mode sentinel, nodes = the sentinels, and masterName");
        }
        return null;
    }

    private Future<Verdict> sentinel(ConnectionConfig config) {
        SentinelResolver resolver = new SentinelResolver(config, factory);
        List<Future<SentinelAnswer>> asks = new ArrayList<>();
        for (HostAndPort address : config.nodes()) {
            asks.add(askSentinel(resolver, address));
        }
        return Future.all(asks).compose(all -> {
            List<SentinelAnswer> answers = all.list();
            List<NodeCheck> checks = new ArrayList<>();
            answers.forEach(answer -> checks.add(answer.check(config.masterName())));
            List<HostAndPort> masters = answers.stream().map(SentinelAnswer::master).filter(Objects::nonNull)
                    .distinct().toList();
            if (masters.isEmpty()) {
                return Future.succeededFuture(new Verdict(SentinelAnswer.noMaster(config, answers), null, null, checks));
            }
            // the probe sends the password there, as execute would: the announced master passes the target
            // policy first (a name the sentinel announces is resolved)
            return factory.admitted(config, masters.get(0))
                    .compose(master -> probeData(config, master, "master")).map(probe -> {
                        checks.add(0, probe.check());
                        ConnectorException problem = !probe.reachable() ? SentinelResolver.masterDown(config.masterName(),
                                probe.node(), probe.problem().getMessage().replace(probe.node() + ": ", ""))
                                : probe.problem() != null ? probe.problem() : notMaster(config, probe);
                        List<String> warnings = new ArrayList<>(probe.warnings(config.commandTimeoutMs()));
                        if (problem == null) {
                            warnings.addAll(sentinelWarnings(config, answers, masters));
                        }
                        return new Verdict(problem, probe.version(), probe.role(), checks, warnings);
                    });
        });
    }

    /** ROLE and the master's address on one connection: ROLE tells a sentinel from a data node. */
    private static Future<SentinelAnswer> askSentinel(SentinelResolver resolver, HostAndPort address) {
        long started = System.nanoTime();
        return resolver.sentinelCalls(address, List.of(Request.cmd(Command.ROLE), resolver.masterAddressRequest()))
                .map(outcomes -> SentinelAnswer.of(address, outcomes, millisSince(started)))
                .otherwise(failure -> new SentinelAnswer(address, null, null, failure, millisSince(started)));
    }

    private static ConnectorException notMaster(ConnectionConfig config, NodeProbe probe) {
        if ("master".equals(probe.role())) {
            return null;
        }
        return problem(ErrorCode.CONNECTION_FAILED, "the sentinels announce " + probe.node() + " as master of '"
                + config.masterName() + "' but it reports role " + probe.role(), "masterName: the sentinels' master for '"
                + config.masterName() + "' is not a master right now — a failover may be in progress; try again in a few seconds");
    }

    private static List<String> sentinelWarnings(ConnectionConfig config, List<SentinelAnswer> answers,
            List<HostAndPort> masters) {
        List<String> warnings = new ArrayList<>();
        if (masters.size() > 1) {
            warnings.add("nodes: the sentinels disagree on the master of '" + config.masterName() + "' ("
                    + masters.stream().map(HostAndPort::toString).collect(Collectors.joining(", "))
                    + ") — a failover may be in progress");
        }
        for (SentinelAnswer answer : answers) {
            String warning = answer.warning(config.masterName());
            if (warning != null) {
                warnings.add(warning);
            }
        }
        return warnings;
    }

    private Future<Verdict> cluster(ConnectionConfig config) {
        List<Future<NodeProbe>> probes = new ArrayList<>();
        for (HostAndPort seed : config.nodes()) {
            probes.add(probe(config, seed, "seed", List.of(Request.cmd(Command.INFO).arg("server"),
                    Request.cmd(Command.ROLE), Request.cmd(Command.CLUSTER).arg("INFO"))));
        }
        return Future.all(probes).map(all -> {
            List<NodeProbe> results = all.list();
            List<NodeCheck> checks = results.stream().map(NodeProbe::check).toList();
            NodeProbe healthy = results.stream()
                    .filter(p -> p.problem() == null && "ok".equals(p.clusterInfo("cluster_state")))
                    .findFirst().orElse(null);
            if (healthy != null && allUnreachableOrOk(results)) {
                List<String> warnings = new ArrayList<>(unreachableSeeds(results));
                // cluster-require-full-coverage no: the cluster is ok, and keys in the slots nobody serves fail
                results.stream().filter(p -> p.problem() == null && p.clusterInfo("cluster_slots_ok") != null
                        && !p.clusterInfo("cluster_slots_ok").equals(Integer.toString(Slots.COUNT))).findFirst()
                        .ifPresent(p -> warnings.add("nodes: " + p.node() + " sees " + p.clusterInfo("cluster_slots_ok")
                                + " of " + Slots.COUNT + " hash slots served (cluster_slots_ok); keys in the others fail"
                                + " with CLUSTERDOWN — assign them, or bring their master back"));
                return new Verdict(null, healthy.version(), "cluster", checks, warnings);
            }
            ConnectorException problem = results.stream().map(ConnectionTester::clusterProblem)
                    .filter(Objects::nonNull).findFirst().orElse(null);
            return new Verdict(problem, healthy == null ? null : healthy.version(),
                    healthy == null ? null : "cluster", checks);
        }).compose(seeds -> seeds.problem() != null ? Future.succeededFuture(seeds) : announced(config, seeds));
    }

    /**
     * The masters CLUSTER SLOTS announces, as calls will meet them: each passes the target policy
     * (refused: the call fails with TARGET_NOT_ALLOWED, as for the config's own addresses) and answers
     * — an address a node announces that the function cannot reach (cluster-announce-ip behind NAT)
     * fails every call on its slots, although the seeds answer.
     */
    private Future<Verdict> announced(ConnectionConfig config, Verdict seeds) {
        return SlotMap.load(factory, config, config.nodes()).transform(loaded -> {
            if (loaded.failed()) {
                ConnectorException failure = Failures.classify(loaded.cause());
                return failure.code() == ErrorCode.TARGET_NOT_ALLOWED ? Future.failedFuture(failure)
                        : Future.succeededFuture(new Verdict(failure, seeds.version(), seeds.role(), seeds.nodes()));
            }
            List<Future<NodeProbe>> probes = new ArrayList<>();
            for (HostAndPort master : loaded.result().masters()) {
                if (!config.nodes().contains(master)) {
                    probes.add(probe(config, master, "master", List.of(Request.cmd(Command.INFO).arg("server"),
                            Request.cmd(Command.ROLE))));
                }
            }
            return Future.all(probes).map(all -> {
                List<NodeCheck> checks = new ArrayList<>(seeds.nodes());
                List<NodeProbe> masters = all.list();
                masters.forEach(master -> checks.add(master.check()));
                ConnectorException problem = masters.stream().filter(master -> master.problem() != null).findFirst()
                        .map(master -> problem(master.problem().code(), "a master the cluster announces (CLUSTER SLOTS)"
                                + " fails: " + master.problem().getMessage(), "nodes: every master must answer at the"
                                + " address the cluster announces — check cluster-announce-ip and the network to each node"))
                        .orElse(null);
                return new Verdict(problem, seeds.version(), seeds.role(), checks, seeds.warnings());
            });
        });
    }

    private static boolean allUnreachableOrOk(List<NodeProbe> results) {
        return results.stream().allMatch(p -> p.problem() == null ? "ok".equals(p.clusterInfo("cluster_state"))
                : !p.reachable());
    }

    /** The cluster works through the other seeds, but a seed that does not answer is worth fixing. */
    private static List<String> unreachableSeeds(List<NodeProbe> results) {
        return results.stream().filter(p -> !p.reachable())
                .map(p -> "nodes: " + p.node() + (p.problem().code() == ErrorCode.TIMEOUT ? " does not answer in time"
                        : " is unreachable") + " — the other seeds answer; fix or remove it")
                .toList();
    }

    private static ConnectorException clusterProblem(NodeProbe probe) {
        if (probe.problem() == null) {
            String state = probe.clusterInfo("cluster_state");
            return "ok".equals(state) ? null : problem(ErrorCode.CONNECTION_FAILED,
                    probe.node() + " reports cluster_state:" + state, "nodes: the cluster reports cluster_state:" + state
                            + " — check that every slot is served and the masters are up");
        }
        if (RedisErrors.saysClusterDisabled(probe.problem().getMessage())) {
            return SlotMap.notACluster(probe.node().toString());
        }
        if (RedisErrors.saysUnknownCommand(probe.problem().getMessage(), "cluster")) {
            return SlotMap.aSentinel(probe.node().toString());
        }
        return probe.problem();
    }

    /** A data node: INFO server, ROLE and, for a database other than 0, SELECT it as the connector will. */
    private Future<NodeProbe> probeData(ConnectionConfig config, HostAndPort node, String kind) {
        List<Request> requests = new ArrayList<>(List.of(Request.cmd(Command.INFO).arg("server"), Request.cmd(Command.ROLE)));
        if (config.database() != 0) {
            requests.add(Request.cmd(Command.SELECT).arg(Long.toString(config.database())));
        }
        return probe(config, node, kind, requests);
    }

    /** The requests, pipelined on a fresh connection with the data credentials. */
    private Future<NodeProbe> probe(ConnectionConfig config, HostAndPort node, String kind, List<Request> requests) {
        long started = System.nanoTime();
        return factory.onceAsData(config, node, requests)
                .map(outcomes -> NodeProbe.of(node, kind, config.database(), outcomes, millisSince(started)))
                .otherwise(failure -> NodeProbe.failed(node, kind, failure, millisSince(started)));
    }

    static ConnectorException problem(ErrorCode code, String message, String hint) {
        return new ConnectorException(code, message, hint);
    }
}
