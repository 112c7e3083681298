package dev.redisfn.pipeline;

import static dev.redisfn.response.Durations.millisSince;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.connection.ConnectionTester;
import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.observe.ConnectorMetrics;
import dev.redisfn.observe.RequestIds;
import dev.redisfn.request.RequestDecoder;
import dev.redisfn.response.CallFailure;
import dev.redisfn.response.ConnectionReport;
import dev.redisfn.response.OutputFormat;
import dev.redisfn.security.KeyScope;

import io.vertx.core.Future;

/** The one way a test-connection event runs: decode the connection, probe it, answer the verdict, time it. */
@Singleton
public class TestConnectionPipeline {

    private final RequestDecoder decoder;
    private final ConnectionTester tester;
    private final ConnectorMetrics metrics;

    public TestConnectionPipeline(RequestDecoder decoder, ConnectionTester tester, ConnectorMetrics metrics) {
        this.decoder = decoder;
        this.tester = tester;
        this.metrics = metrics;
    }

    /** The verdict (HTTP 200, whatever it says); fails with a {@link CallFailure} when the event cannot be read. */
    public Future<ConnectionReport> test(JsonNode event, KeyScope scope) {
        long started = System.nanoTime();
        String requestId = RequestIds.current();
        ConnectionConfig config;
        try {
            config = decoder.testConnection(event, scope);
        } catch (ConnectorException e) {
            metrics.testConnection("none", e.code().name(), started);
            return Future.failedFuture(new CallFailure(e, null, OutputFormat.STANDARD));
        }
        return tester.test(config).map(verdict -> {
            ConnectorException problem = verdict.problem();
            metrics.testConnection(config.mode().label(), problem == null ? ConnectorMetrics.OK : problem.code().name(),
                    started);
            return new ConnectionReport(problem == null, problem == null ? ConnectionReport.SUCCESS : problem.getMessage(),
                    problem == null ? null : problem.code().name(), problem == null ? null : problem.hint(),
                    verdict.warnings().isEmpty() ? null : List.copyOf(verdict.warnings()), config.mode().label(),
                    verdict.version(), verdict.role(), List.copyOf(verdict.nodes()), millisSince(started));
        }).recover(failure -> {
            // may log (INTERNAL): with the call's id, from whichever thread the tester failed on
            ConnectorException error = RequestIds.with(requestId, () -> Failures.classify(failure));
            metrics.testConnection(config.mode().label(), error.code().name(), started);
            return Future.failedFuture(new CallFailure(error, null, OutputFormat.STANDARD));
        });
    }
}
