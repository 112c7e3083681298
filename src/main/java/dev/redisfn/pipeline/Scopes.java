package dev.redisfn.pipeline;

import java.util.ArrayList;
import java.util.List;

import dev.redisfn.command.Call;
import dev.redisfn.command.Operation;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.request.ExecuteRequest;
import dev.redisfn.security.KeyScope;

/**
 * Holds a request to its caller's API key scope by each operation's kind (an administrative operation
 * or a caller-written script is {@code admin}); its connection was held to the scope as it was
 * decoded. A batch item outside the scope fails alone (403 SCOPE_NOT_ALLOWED in its result); an
 * atomic batch with one fails whole.
 */
final class Scopes {

    private Scopes() {
    }

    static ExecuteRequest within(ExecuteRequest request, KeyScope scope) {
        if (scope == KeyScope.ALL) {
            return request;
        }
        if (!request.isBatch()) {
            ConnectorException refused = refusal(request.call(), scope);
            if (refused != null) {
                throw refused;
            }
            return request;
        }
        List<Call> calls = new ArrayList<>(request.batch().size());
        for (Call call : request.batch()) {
            ConnectorException refused = call.isInvalid() ? null : refusal(call, scope);
            calls.add(refused == null ? call : Call.invalid(refused));
        }
        return new ExecuteRequest(request.connection(), null, calls, request.atomic(), request.watch(),
                request.waitReplicas(), request.output());
    }

    private static ConnectorException refusal(Call call, KeyScope scope) {
        Operation operation = call.operation();
        return scope.refusal(operation.keyCategory(), operation.name());
    }
}
