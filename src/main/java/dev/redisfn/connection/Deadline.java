package dev.redisfn.connection;

import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** A bound on work that may never finish: a probe's connection, a token's source. */
final class Deadline {

    private Deadline() {
    }

    /** {@code work}'s outcome, or {@code late} once {@code ms} have passed without one. */
    static <T> Future<T> within(Vertx vertx, Future<T> work, long ms, Supplier<Throwable> late) {
        Promise<T> bounded = Promise.promise();
        long timer = vertx.setTimer(ms, ignored -> bounded.tryFail(late.get()));
        work.onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                bounded.tryComplete(done.result());
            } else {
                bounded.tryFail(done.cause());
            }
        });
        return bounded.future();
    }
}
