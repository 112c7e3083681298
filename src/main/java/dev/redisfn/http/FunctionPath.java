package dev.redisfn.http;

import io.vertx.ext.web.RoutingContext;

/** The paths the front door serves, the function each one is, and the methods each accepts. */
enum FunctionPath {
    EXECUTE("/execute", Function.EXECUTE, "POST"),
    TEST_CONNECTION("/test-connection", Function.TEST_CONNECTION, "POST"),
    OPERATIONS("/operations", Function.OPERATIONS, "GET, HEAD, POST"),
    /** Where Knative delivers CloudEvents: their type selects the function. */
    ROOT("/", null, "POST");

    /** Every function, as a 404 names them. */
    static final String ALL = "POST /execute, POST /test-connection, GET|POST /operations";

    /** The three functions, by the names CloudEvent types and metrics use. */
    enum Function {
        EXECUTE("execute"),
        TEST_CONNECTION("test-connection"),
        OPERATIONS("operations");

        final String id;

        Function(String id) {
            this.id = id;
        }
    }

    final String path;
    final Function function;
    final String methods;

    FunctionPath(String path, Function function, String methods) {
        this.path = path;
        this.function = function;
        this.methods = methods;
    }

    /**
     * The path's function as Vert.x Web routes it: dot segments removed, and a trailing slash
     * ignored ({@code /execute/} is {@code /execute}); null for any other path.
     */
    static FunctionPath of(RoutingContext context) {
        String path = context.normalizedPath();
        int end = path.length() > 1 && path.endsWith("/") ? path.length() - 1 : path.length();
        for (FunctionPath candidate : values()) {
            if (candidate.path.length() == end && path.startsWith(candidate.path)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Quarkus' own paths under {@code /q/} (health, metrics, OpenAPI): open to the platform's probes
     * without the API key, and answered by Quarkus, not by the connector.
     */
    static boolean isPlatform(RoutingContext context) {
        return context.normalizedPath().startsWith("/q/");
    }
}
