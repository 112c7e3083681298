package dev.redisfn.connection;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** Bridges Vert.x futures and Mutiny without blocking. */
public final class Futures {

    private Futures() {
    }

    public static <T> Uni<T> uni(Future<T> future) {
        return Uni.createFrom().emitter(emitter -> future.onComplete(result -> {
            if (result.succeeded()) {
                emitter.complete(result.result());
            } else {
                emitter.fail(result.cause());
            }
        }));
    }

    /** Subscribes to {@code uni} now and completes the returned future with its outcome. */
    public static <T> Future<T> future(Uni<T> uni) {
        Promise<T> promise = Promise.promise();
        uni.subscribe().with(promise::complete, promise::fail);
        return promise.future();
    }
}
