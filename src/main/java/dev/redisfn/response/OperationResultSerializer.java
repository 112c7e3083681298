package dev.redisfn.response;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Writes an {@link OperationResult} as its bean serializer would (component order, null fields
 * left out), field by field: the bean serializer reads a record's components by reflection, a
 * measurable share of the CPU of a call.
 */
@RegisterForReflection
public final class OperationResultSerializer extends StdSerializer<OperationResult> {

    public OperationResultSerializer() {
        super(OperationResult.class);
    }

    @Override
    public void serialize(OperationResult value, JsonGenerator json, SerializerProvider provider) throws IOException {
        json.writeStartObject(value);
        json.writeBooleanField("ok", value.ok());
        if (value.operation() != null) {
            json.writeStringField("operation", value.operation());
        }
        if (value.result() != null) {
            // a JsonNode writes itself, as its serializer would have it do, without a serializer look-up by class
            json.writeFieldName("result");
            value.result().serialize(json, provider);
        }
        if (value.error() != null) {
            provider.defaultSerializeField("error", value.error(), json);
        }
        if (value.durationMs() != null) {
            Durations.writeField(json, "durationMs", value.durationMs());
        }
        json.writeEndObject();
    }
}
