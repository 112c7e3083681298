package dev.redisfn.function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.pipeline.TestConnectionPipeline;
import dev.redisfn.security.KeyScope;
import dev.redisfn.response.ConnectionReport;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** {@code test-connection}: check a connection config and say exactly what is wrong with it (a Funqy function). */
public class TestConnectionFunction {

    private final TestConnectionPipeline pipeline;

    public TestConnectionFunction(TestConnectionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Funq("test-connection")
    public Uni<ConnectionReport> testConnection(JsonNode event) {
        return Uni.createFrom().completionStage(() -> pipeline.test(event, KeyScope.ALL).toCompletionStage());
    }
}
