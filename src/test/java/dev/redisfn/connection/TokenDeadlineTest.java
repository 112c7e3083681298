package dev.redisfn.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A token whose source never answers fails at the deadline with the error that names the source,
 * not later with the call's "no answer from Redis"; one that comes in time is passed on unchanged.
 */
class TokenDeadlineTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSourceThatNeverAnswersFailsAtTheDeadlineNamingItself() {
        ConnectorException late = new ConnectorException(ErrorCode.CONNECTION_FAILED, "no token", "auth: ...");
        long started = System.nanoTime();
        Future<String> bounded = Deadline.within(vertx, Promise.<String>promise().future(), 200, () -> late);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> bounded.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertSame(late, failed.getCause());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(190), "not before the deadline");
    }

    @Test
    void aTokenInTimeOrItsOwnFailureIsPassedOn() throws Exception {
        ConnectorException late = new ConnectorException(ErrorCode.CONNECTION_FAILED, "no token", "auth: ...");
        assertEquals("token", Deadline.within(vertx, Future.succeededFuture("token"), 60_000, () -> late)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        IllegalStateException own = new IllegalStateException("unreadable file");
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> Deadline.within(vertx, Future.<String>failedFuture(own), 60_000, () -> late)
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertSame(own, failed.getCause());
    }
}
