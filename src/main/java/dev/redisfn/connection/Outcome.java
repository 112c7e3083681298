package dev.redisfn.connection;

import io.vertx.redis.client.Response;

/** One command's answer inside a pipeline or transaction: a response or the failure that replaced it. */
public record Outcome(Response response, Throwable failure) {

    public static Outcome of(Response response) {
        return new Outcome(response, null);
    }

    public static Outcome failed(Throwable failure) {
        return new Outcome(null, failure);
    }
}
