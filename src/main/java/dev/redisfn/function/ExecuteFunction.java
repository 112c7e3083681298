package dev.redisfn.function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.command.ReplyAccount;
import dev.redisfn.pipeline.ExecutePipeline;
import dev.redisfn.security.KeyScope;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/**
 * {@code execute}: run one operation, or a batch, against the event's Redis — as a Funqy function,
 * for Funqy's bindings (which authenticate callers their own way: the function's API keys are an
 * HTTP matter); the HTTP front door runs the same pipeline with the raw bytes of a body.
 */
public class ExecuteFunction {

    private final ExecutePipeline pipeline;

    public ExecuteFunction(ExecutePipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Funq("execute")
    public Uni<Object> execute(JsonNode event) {
        ReplyAccount replies = pipeline.newAccount();
        return Uni.createFrom().completionStage(() -> pipeline.execute(event, replies, KeyScope.ALL).toCompletionStage())
                .onTermination().invoke(replies::release);
    }
}
