package dev.redisfn.function;

import io.vertx.ext.web.RoutingContext;

/** The functions' paths and the methods each accepts: what a 404 or 405 answer tells the caller. */
final class FunctionRoutes {

    /** Every function, as a 404 names them. */
    static final String FUNCTIONS = "POST /execute, POST /test-connection, GET|POST /operations";

    private FunctionRoutes() {
    }

    /**
     * The path as Vert.x Web routes it: dot segments removed, and a trailing slash ignored, since
     * the route {@code /execute} also serves {@code /execute/}. Every decision about a path uses this.
     */
    static String path(RoutingContext context) {
        String path = context.normalizedPath();
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The methods a path accepts (a 405's {@code Allow} header), or null when no function lives there. */
    static String allowedMethods(String path) {
        return switch (path) {
            case "/execute", "/test-connection" -> "POST";
            case "/" -> "POST"; // CloudEvents, whose ce-type selects the function
            case "/operations" -> "GET, POST";
            default -> null;
        };
    }
}
