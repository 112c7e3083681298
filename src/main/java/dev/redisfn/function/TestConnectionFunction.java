package dev.redisfn.function;

import static dev.redisfn.result.Durations.millisSince;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.connection.ConnectionConfig;
import dev.redisfn.connection.ConnectionTester;
import dev.redisfn.observe.ConnectorMetrics;
import dev.redisfn.observe.RequestIds;
import dev.redisfn.result.CallFailure;
import dev.redisfn.result.ConnectionReport;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.Failures;
import dev.redisfn.result.OutputFormat;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** {@code POST /test-connection}: check a connection config and say exactly what is wrong with it. */
public class TestConnectionFunction {

    private static final Set<String> FIELDS = Set.of("connection", "connectionRef");

    private final EventDecoder decoder;
    private final ConnectionTester tester;
    private final ConnectorMetrics metrics;

    public TestConnectionFunction(EventDecoder decoder, ConnectionTester tester, ConnectorMetrics metrics) {
        this.decoder = decoder;
        this.tester = tester;
        this.metrics = metrics;
    }

    @Funq("test-connection")
    public Uni<ConnectionReport> testConnection(JsonNode event) {
        long started = System.nanoTime();
        String requestId = RequestIds.current();
        ConnectionConfig config;
        try {
            if (event != null && event.isObject()) {
                event.fieldNames().forEachRemaining(name -> {
                    if (!FIELDS.contains(name)) {
                        throw ConnectorException.invalidRequest(name + ": unknown field (accepted: connection, connectionRef)");
                    }
                });
            }
            config = decoder.connection(event);
        } catch (ConnectorException e) {
            metrics.testConnection("none", e.code().name(), started);
            return Uni.createFrom().failure(new CallFailure(e, null, OutputFormat.STANDARD));
        }
        return tester.test(config).map(verdict -> {
            ConnectorException problem = verdict.problem();
            metrics.testConnection(config.mode().label(), problem == null ? ConnectorMetrics.OK : problem.code().name(),
                    started);
            return new ConnectionReport(problem == null, problem == null ? ConnectionReport.SUCCESS : problem.getMessage(),
                    problem == null ? null : problem.code().name(), problem == null ? null : problem.hint(),
                    verdict.warnings().isEmpty() ? null : List.copyOf(verdict.warnings()), config.mode().label(),
                    verdict.version(), verdict.role(), List.copyOf(verdict.nodes()),
                    millisSince(started));
        }).onFailure().transform(failure -> {
            // may log (INTERNAL): with the call's id, from whichever thread the tester failed on
            ConnectorException error = RequestIds.with(requestId, () -> Failures.classify(failure));
            metrics.testConnection(config.mode().label(), error.code().name(), started);
            return new CallFailure(error, null, OutputFormat.STANDARD);
        });
    }
}
