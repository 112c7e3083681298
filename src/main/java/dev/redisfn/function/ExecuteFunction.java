package dev.redisfn.function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.command.ReplyAccount;
import dev.redisfn.pipeline.ExecutePipeline;
import dev.redisfn.security.ApiKeys;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/**
 * {@code execute}: run one operation, or a batch, against the event's Redis — as a Funqy function,
 * for Funqy's bindings; the HTTP front door runs the same pipeline with the raw bytes of a body. A
 * binding carries no {@code Authorization} header, so with API keys configured a call here is refused
 * ({@link ApiKeys#scope} of none): the keys cannot be bypassed by reaching the function another way.
 */
public class ExecuteFunction {

    private final ExecutePipeline pipeline;
    private final ApiKeys apiKeys;

    public ExecuteFunction(ExecutePipeline pipeline, ApiKeys apiKeys) {
        this.pipeline = pipeline;
        this.apiKeys = apiKeys;
    }

    @Funq("execute")
    public Uni<Object> execute(JsonNode event) {
        ReplyAccount replies = pipeline.newAccount(System.nanoTime());
        return Uni.createFrom().completionStage(() -> pipeline.execute(event, replies, apiKeys.scope(null)).toCompletionStage())
                .onTermination().invoke(replies::release);
    }
}
