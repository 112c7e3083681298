package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;

import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Asks the sentinels, one after the other, where the master of {@code masterName} is. Sentinels
 * are asked with {@code sentinelUsername/sentinelPassword} when given, otherwise without
 * credentials and, if a sentinel demands them, with the data credentials.
 */
public final class SentinelResolver {

    private final ConnectionConfig config;
    private final ClientFactory factory;

    public SentinelResolver(ConnectionConfig config, ClientFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    public Uni<HostAndPort> resolveMaster() {
        return ask(0, new ArrayList<>());
    }

    /** The master address one sentinel announces; null when the master name is unknown to it. */
    public Uni<HostAndPort> askOne(HostAndPort sentinel) {
        return sentinelCall(sentinel, masterAddressRequest()).map(SentinelResolver::address);
    }

    /** A command to one sentinel with the sentinel credentials (see the class comment). */
    public Uni<Response> sentinelCall(HostAndPort sentinel, Request request) {
        return sentinelCalls(sentinel, List.of(request)).flatMap(ClientFactory::replies).map(replies -> replies.get(0));
    }

    /**
     * Several commands, pipelined, to one sentinel, each answered on its own (see {@link
     * ClientFactory#onceEach}). Without sentinel credentials they go without any, then — when the
     * sentinel demands a password, at connect or per command — with the data credentials.
     */
    public Uni<List<Outcome>> sentinelCalls(HostAndPort sentinel, List<Request> requests) {
        if (config.hasSentinelCredentials()) {
            return factory.onceEach(config, sentinel, config.sentinelUsername(), config.sentinelPassword(), requests);
        }
        Uni<List<Outcome>> withDataCredentials = factory.onceEach(config, sentinel, config.username(), config.password(),
                requests);
        // null: the sentinel wants a password; the second attempt's own NOAUTH is its answer
        return factory.onceEach(config, sentinel, null, null, requests)
                .map(outcomes -> outcomes.stream().anyMatch(outcome -> demandsAuth(outcome.failure())) ? null : outcomes)
                .onFailure(this::demandsAuth).recoverWithNull()
                .onItem().ifNull().switchTo(withDataCredentials);
    }

    /** SENTINEL get-master-addr-by-name for the configured master name. */
    Request masterAddressRequest() {
        return Request.cmd(Command.SENTINEL).arg("get-master-addr-by-name").arg(config.masterName());
    }

    /** A NOAUTH the data password may answer. */
    private boolean demandsAuth(Throwable failure) {
        return config.password() != null && failure instanceof ErrorType error && error.is("NOAUTH");
    }

    private Uni<HostAndPort> ask(int index, List<String> problems) {
        if (index >= config.nodes().size()) {
            return Uni.createFrom().failure(noMaster(problems));
        }
        HostAndPort sentinel = config.nodes().get(index);
        return askOne(sentinel)
                .onFailure().recoverWithItem(failure -> {
                    problems.add(sentinel + ": " + Failures.describe(failure));
                    return null;
                })
                .flatMap(address -> {
                    if (address != null) {
                        return Uni.createFrom().item(address);
                    }
                    if (problems.size() <= index) {
                        problems.add(sentinel + ": master name '" + config.masterName() + "' unknown");
                    }
                    return ask(index + 1, problems);
                });
    }

    private ConnectorException noMaster(List<String> problems) {
        boolean unknownName = problems.stream().allMatch(p -> p.endsWith("unknown"));
        boolean authRejected = problems.stream().anyMatch(p -> p.contains("password") || p.contains("NOAUTH"));
        String hint = unknownName
                ? "masterName: no sentinel knows a master named '" + config.masterName() + "'"
                : authRejected ? "sentinelPassword: the sentinels rejected the credentials"
                        : "nodes: check the sentinel addresses and that they are running";
        String message = "no master known to the sentinels for '" + config.masterName() + "' ("
                + String.join("; ", problems) + ")";
        if (unknownName) {
            // every sentinel answered and none monitors that name: a misconfiguration, which no retry mends
            return ConnectorException.notRetryable(ErrorCode.CONNECTION_FAILED, message, hint);
        }
        return new ConnectorException(authRejected ? ErrorCode.AUTH_FAILED : ErrorCode.CONNECTION_FAILED, message, hint);
    }

    static HostAndPort address(Response reply) {
        if (reply == null || reply.size() < 2) {
            return null;
        }
        return new HostAndPort(reply.get(0).toString(), reply.get(1).toInteger());
    }
}
