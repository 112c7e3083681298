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
     * The iPaaS envelope: on success the payload and an empty ({@code null}) error; on failure an
     * empty ({@code ""}) payload and {@code {"Code": <error code>, "Description": <message>}}.
     */
    private static Map<String, Object> tencent(JsonNode payload, ErrorBody error) {
        Map<String, Object> envelope = new LinkedHashMap<>();
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
}
