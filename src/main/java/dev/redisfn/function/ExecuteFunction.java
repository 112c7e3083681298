package dev.redisfn.function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.operation.Dispatcher;
import dev.redisfn.result.BatchResult;
import dev.redisfn.result.CallFailure;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.Failures;
import dev.redisfn.result.OperationResult;
import dev.redisfn.result.OutputFormat;
import dev.redisfn.result.Replies;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** {@code POST /execute}: run one operation, or a batch, against the event's Redis. */
public class ExecuteFunction {

    private final EventDecoder decoder;
    private final Dispatcher dispatcher;

    public ExecuteFunction(EventDecoder decoder, Dispatcher dispatcher) {
        this.decoder = decoder;
        this.dispatcher = dispatcher;
    }

    @Funq("execute")
    public Uni<Object> execute(JsonNode event) {
        long started = System.nanoTime();
        OutputFormat format = decoder.outputOf(event);
        String operation = operationName(event);
        ExecuteRequest request;
        try {
            request = decoder.execute(event);
        } catch (ConnectorException e) {
            return Uni.createFrom().failure(new CallFailure(e, operation, format));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(new CallFailure(Failures.internal(e), operation, format));
        }
        Uni<Object> reply = request.isBatch()
                ? dispatcher.batch(request.connection(), request.batch(), request.atomic(), request.waitReplicas())
                        .map(results -> Replies.format(BatchResult.of(results, millisSince(started)), format))
                : dispatcher.run(request.connection(), request.call(), request.waitReplicas())
                        .map(result -> Replies.format(OperationResult.success(request.call().operation().name(), result,
                                millisSince(started)), format));
        return reply.onFailure().transform(failure -> new CallFailure(Failures.classify(failure),
                request.isBatch() ? null : request.call().operation().name(), format));
    }

    private static String operationName(JsonNode event) {
        JsonNode name = event == null ? null : event.get("operation");
        return name != null && name.isTextual() && name.textValue().length() <= 64 ? name.textValue() : null;
    }

    static double millisSince(long started) {
        return Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
    }
}
