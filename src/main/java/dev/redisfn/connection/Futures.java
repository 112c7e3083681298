package dev.redisfn.connection;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;

/** Bridges Vert.x futures to Mutiny without blocking. */
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
}
