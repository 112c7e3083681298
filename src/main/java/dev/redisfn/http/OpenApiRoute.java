package dev.redisfn.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /q/openapi}: the hand-written HTTP contract {@code META-INF/openapi.yaml}, exactly as
 * written, or as JSON with {@code ?format=json} or an {@code Accept} header that asks for JSON.
 * The document is read on the first request, not at start.
 */
@Singleton
public class OpenApiRoute {

    static final String DOCUMENT = "META-INF/openapi.yaml";

    private final ObjectMapper json;
    private volatile Buffer yaml;
    private volatile Buffer asJson;

    public OpenApiRoute(ObjectMapper json) {
        this.json = json;
    }

    void serve(RoutingContext context) {
        String format = context.request().getParam("format");
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        boolean wantsJson = format != null ? format.equalsIgnoreCase("json")
                : accept != null && accept.contains("json") && !accept.contains("yaml");
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, wantsJson ? "application/json;charset=UTF-8" : "application/yaml;charset=UTF-8")
                .end(wantsJson ? json() : yaml());
    }

    private Buffer yaml() {
        Buffer document = yaml;
        if (document == null) {
            try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
                if (in == null) {
                    throw new IllegalStateException(DOCUMENT + " is missing from the build");
                }
                document = Buffer.buffer(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            yaml = document;
        }
        return document;
    }

    private Buffer json() {
        Buffer document = asJson;
        if (document == null) {
            try {
                document = Buffer.buffer(json.writeValueAsBytes(new YAMLMapper().readTree(yaml().getBytes())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            asJson = document;
        }
        return document;
    }
}
