package dev.redisfn.response;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorBody;

/**
 * Puts a result or an error in the envelope the caller asked for: the standard one of docs/design.md
 * §4, or the existing iPaaS connector's {@code {"payload", "error": {"Code", "Description"}}}.
 */
public final class Replies {

    private Replies() {
    }

    public static Object format(Reply reply, OutputFormat format) {
        if (format == OutputFormat.STANDARD) {
            return reply;
        }
        if (reply instanceof OperationResult single) {
            return single.ok() ? tencent(single.result(), null) : tencent(null, single.error());
        }
        return tencent(JsonNodeFactory.instance.pojoNode(reply), null);
    }

    public static Object failure(ConnectorException error, String operation, OutputFormat format) {
        if (format == OutputFormat.TENCENT) {
            return tencent(null, error.toBody());
        }
        return OperationResult.failure(operation, error.toBody());
    }

    /**
     * A formatted {@code reply} that could not be written as JSON (too large, or no memory left to
     * write it): {@code error} in the same envelope, under the same operation name.
     */
    public static CallFailure unwritten(ConnectorException error, Object reply) {
        if (reply instanceof TencentEnvelope) {
            return new CallFailure(error, null, OutputFormat.TENCENT);
        }
        return new CallFailure(error, reply instanceof OperationResult single ? single.operation() : null,
                OutputFormat.STANDARD);
    }

    /**
     * The iPaaS envelope: on success the payload and an empty ({@code null}) error; on failure an
     * empty ({@code ""}) payload and {@code {"Code": <error code>, "Description": <message>}}.
     */
    private static Map<String, Object> tencent(JsonNode payload, ErrorBody error) {
        Map<String, Object> envelope = new TencentEnvelope();
        envelope.put("payload", error != null ? "" : payload);
        if (error == null) {
            envelope.put("error", null);
            return envelope;
        }
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("Code", error.code());
        described.put("Description", error.message());
        envelope.put("error", described);
        return envelope;
    }

    /** The iPaaS envelope's type, so that a failure to write one answers in the same envelope. */
    private static final class TencentEnvelope extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
    }
}
