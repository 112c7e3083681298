package dev.redisfn.function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.pipeline.TestConnectionPipeline;
import dev.redisfn.response.ConnectionReport;
import dev.redisfn.security.ApiKeys;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/**
 * {@code test-connection}: check a connection config and say exactly what is wrong with it (a Funqy
 * function; with API keys configured, refused as {@link ExecuteFunction} is).
 */
public class TestConnectionFunction {

    private final TestConnectionPipeline pipeline;
    private final ApiKeys apiKeys;

    public TestConnectionFunction(TestConnectionPipeline pipeline, ApiKeys apiKeys) {
        this.pipeline = pipeline;
        this.apiKeys = apiKeys;
    }

    @Funq("test-connection")
    public Uni<ConnectionReport> testConnection(JsonNode event) {
        return Uni.createFrom().completionStage(() -> pipeline.test(event, apiKeys.scope(null)).toCompletionStage());
    }
}
