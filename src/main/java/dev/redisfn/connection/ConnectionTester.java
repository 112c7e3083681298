package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.Failures;
import dev.redisfn.result.NodeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * test-connection: probes every node a config names on fresh connections and says what is
 * wrong — wrong password, unknown master name, not a cluster node, cluster not ok, unreachable.
 */
@ApplicationScoped
public class ConnectionTester {

    private final ClientFactory factory;

    public ConnectionTester(ClientFactory factory) {
        this.factory = factory;
    }

    /** What the probes found; {@code problem} is null when the config works. */
    public record Verdict(ConnectorException problem, String version, String role, List<NodeCheck> nodes) {
    }

    /** Fails with TARGET_NOT_ALLOWED before any connection when the target policy refuses an address. */
    public Uni<Verdict> test(ConnectionConfig requested) {
        return Uni.createFrom().deferred(() -> {
            ConnectionConfig config;
            try {
                config = factory.admit(requested);
            } catch (ConnectorException unresolved) {
                if (unresolved.code() != ErrorCode.CONNECTION_FAILED) {
                    throw unresolved; // a refused target stays a 403: the caller asked for something not allowed
                }
                return Uni.createFrom().item(new Verdict(unresolved, null, null, List.of()));
            }
            return switch (config.mode()) {
                case STANDALONE -> standalone(config);
                case SENTINEL -> sentinel(config);
                case CLUSTER -> cluster(config);
            };
        });
    }

    private Uni<Verdict> standalone(ConnectionConfig config) {
        HostAndPort node = config.nodes().get(0);
        return probeData(config, node, "data").map(probe -> {
            List<NodeCheck> checks = List.of(probe.check());
            if (probe.problem() != null) {
                return new Verdict(probe.problem(), null, null, checks);
            }
            String redisMode = probe.info("redis_mode");
            if ("cluster".equals(redisMode)) {
                return new Verdict(problem(ErrorCode.INVALID_CONNECTION, node + " is a cluster node",
                        "mode: this server runs Redis Cluster; use mode cluster with its nodes"), probe.version(), probe.role(), checks);
            }
            if ("sentinel".equals(redisMode)) {
                return new Verdict(problem(ErrorCode.INVALID_CONNECTION, node + " is a sentinel, not a data node",
                        "mode: use mode sentinel, nodes = the sentinels, and masterName"), probe.version(), probe.role(), checks);
            }
            return new Verdict(null, probe.version(), probe.role(), checks);
        });
    }

    private Uni<Verdict> sentinel(ConnectionConfig config) {
        SentinelResolver resolver = new SentinelResolver(config, factory);
        List<Uni<SentinelAnswer>> asks = new ArrayList<>();
        for (HostAndPort sentinel : config.nodes()) {
            long started = System.nanoTime();
            asks.add(resolver.askOne(sentinel)
                    .map(master -> new SentinelAnswer(sentinel, master, null, millisSince(started)))
                    .onFailure().recoverWithItem(failure -> new SentinelAnswer(sentinel, null, failure, millisSince(started))));
        }
        return Uni.join().all(asks).andFailFast().flatMap(answers -> {
            List<NodeCheck> checks = new ArrayList<>();
            HostAndPort master = null;
            boolean anyReachable = false;
            boolean authRejected = false;
            for (SentinelAnswer answer : answers) {
                boolean reachable = answer.failure() == null || isRedisAnswer(answer.failure());
                anyReachable |= reachable;
                authRejected |= answer.failure() != null && isAuthProblem(answer.failure());
                checks.add(new NodeCheck(answer.sentinel().toString(), "sentinel", reachable, "sentinel", null,
                        answer.latencyMs(), answer.failure() == null ? (answer.master() == null
                                ? "does not know master '" + config.masterName() + "'" : null)
                                : Failures.describe(answer.failure())));
                if (master == null && answer.master() != null) {
                    master = answer.master();
                }
            }
            if (master == null) {
                ConnectorException problem = !anyReachable
                        ? problem(ErrorCode.CONNECTION_FAILED, "no sentinel is reachable",
                                "nodes: check the sentinel addresses and that the sentinels run")
                        : authRejected
                                ? problem(ErrorCode.AUTH_FAILED, "the sentinels rejected the credentials",
                                        "sentinelPassword: give the sentinels' own password (or sentinelUsername)")
                                : problem(ErrorCode.CONNECTION_FAILED, "no sentinel knows a master named '"
                                        + config.masterName() + "'", "masterName: '" + config.masterName()
                                        + "' is unknown to the sentinels; check the name configured in sentinel monitor");
                return Uni.createFrom().item(new Verdict(problem, null, null, checks));
            }
            HostAndPort found = master;
            return probeData(config, found, "master").map(probe -> {
                checks.add(0, probe.check());
                if (probe.problem() != null) {
                    return new Verdict(probe.problem(), null, null, checks);
                }
                if (!"master".equals(probe.role())) {
                    return new Verdict(problem(ErrorCode.CONNECTION_FAILED, "the sentinels announce " + found
                            + " as master but it reports role " + probe.role(),
                            "a failover may be in progress; try again in a few seconds"), probe.version(), probe.role(), checks);
                }
                return new Verdict(null, probe.version(), probe.role(), checks);
            });
        });
    }

    private Uni<Verdict> cluster(ConnectionConfig config) {
        List<Uni<DataProbe>> probes = new ArrayList<>();
        for (HostAndPort seed : config.nodes()) {
            probes.add(probe(config, seed, "seed", Request.cmd(Command.CLUSTER).arg("INFO")));
        }
        return Uni.join().all(probes).andFailFast().map(results -> {
            List<NodeCheck> checks = new ArrayList<>();
            ConnectorException problem = null;
            DataProbe healthy = null;
            for (DataProbe probe : results) {
                checks.add(probe.check());
                if (probe.problem() != null) {
                    problem = problem != null ? problem : clusterProblem(probe);
                    continue;
                }
                String state = probe.extra("cluster_state");
                if (!"ok".equals(state)) {
                    problem = problem != null ? problem : problem(ErrorCode.CONNECTION_FAILED,
                            probe.node() + " reports cluster_state:" + state,
                            "the cluster is not ok: check that every slot is served and the masters are up");
                } else if (healthy == null) {
                    healthy = probe;
                }
            }
            if (healthy != null && allUnreachableOrOk(results)) {
                problem = null;
            }
            return new Verdict(problem, healthy == null ? null : healthy.version(),
                    healthy == null ? null : "cluster", checks);
        });
    }

    private static boolean allUnreachableOrOk(List<DataProbe> results) {
        return results.stream().allMatch(p -> p.problem() == null ? "ok".equals(p.extra("cluster_state"))
                : p.problem().code() == ErrorCode.CONNECTION_FAILED || p.problem().code() == ErrorCode.TIMEOUT);
    }

    private static ConnectorException clusterProblem(DataProbe probe) {
        String message = probe.problem().getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("cluster support disabled")) {
            return problem(ErrorCode.INVALID_CONNECTION, probe.node() + " is not a cluster node (cluster support disabled)",
                    "mode: this server is not part of a Redis Cluster; use mode standalone (or sentinel)");
        }
        return probe.problem();
    }

    private Uni<DataProbe> probeData(ConnectionConfig config, HostAndPort node, String kind) {
        return probe(config, node, kind, Request.cmd(Command.ROLE));
    }

    /** INFO server plus one more command on a fresh connection with the data credentials. */
    private Uni<DataProbe> probe(ConnectionConfig config, HostAndPort node, String kind, Request extra) {
        long started = System.nanoTime();
        return factory.once(config, node, config.username(), config.password(),
                        List.of(Request.cmd(Command.INFO).arg("server"), extra))
                .map(replies -> DataProbe.of(node, kind, replies.get(0), replies.get(1), millisSince(started)))
                .onFailure().recoverWithItem(failure -> DataProbe.failed(node, kind, failure, millisSince(started)));
    }

    private static boolean isRedisAnswer(Throwable failure) {
        return failure instanceof io.vertx.redis.client.impl.types.ErrorType;
    }

    private static boolean isAuthProblem(Throwable failure) {
        ConnectorException mapped = Failures.toConnectorException(failure);
        return mapped != null && mapped.code() == ErrorCode.AUTH_FAILED;
    }

    static ConnectorException problem(ErrorCode code, String message, String hint) {
        return new ConnectorException(code, message, hint);
    }

    static double millisSince(long started) {
        return Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
    }

    private record SentinelAnswer(HostAndPort sentinel, HostAndPort master, Throwable failure, double latencyMs) {
    }

    /** What one probe of one node found. */
    private record DataProbe(HostAndPort node, String kind, String infoText, Response extraReply,
            ConnectorException problem, double latencyMs) {

        static DataProbe of(HostAndPort node, String kind, Response info, Response extra, double latencyMs) {
            return new DataProbe(node, kind, info == null ? "" : info.toString(), extra, null, latencyMs);
        }

        static DataProbe failed(HostAndPort node, String kind, Throwable failure, double latencyMs) {
            ConnectorException problem = Failures.toConnectorException(failure);
            if (problem == null) {
                problem = new ConnectorException(ErrorCode.CONNECTION_FAILED, Failures.describe(failure));
            }
            if (problem.code() == ErrorCode.AUTH_FAILED) {
                problem = new ConnectorException(ErrorCode.AUTH_FAILED, node + ": " + problem.getMessage(),
                        "password: Redis rejected the credentials — check password (and username for an ACL user)");
            } else if (problem.code() == ErrorCode.CONNECTION_FAILED || problem.code() == ErrorCode.TIMEOUT) {
                problem = new ConnectorException(problem.code(), node + ": " + problem.getMessage(),
                        problem.hint() != null ? problem.hint()
                                : "host/port: " + node + " is unreachable — check the address and that Redis runs there");
            }
            return new DataProbe(node, kind, "", null, problem, latencyMs);
        }

        String info(String field) {
            for (String line : infoText.split("\r?\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
            return null;
        }

        /** A field of the extra reply when it is INFO-style text (CLUSTER INFO). */
        String extra(String field) {
            if (extraReply == null) {
                return null;
            }
            for (String line : extraReply.toString().split("\r?\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
            return null;
        }

        String version() {
            return info("redis_version");
        }

        String role() {
            if (extraReply != null && extraReply.type() == io.vertx.redis.client.ResponseType.MULTI && extraReply.size() > 0) {
                return extraReply.get(0).toString();
            }
            return "cluster".equals(info("redis_mode")) ? "cluster-node" : null;
        }

        NodeCheck check() {
            boolean reachable = problem == null || problem.code() == ErrorCode.AUTH_FAILED
                    || problem.code() == ErrorCode.REDIS_ERROR || problem.code() == ErrorCode.INVALID_CONNECTION;
            return new NodeCheck(node.toString(), kind, reachable, problem == null ? role() : null,
                    problem == null ? version() : null, latencyMs, problem == null ? null : problem.getMessage());
        }
    }
}
