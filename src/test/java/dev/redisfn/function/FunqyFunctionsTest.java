package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.connection.ReplyGuards;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.CallFailure;
import dev.redisfn.response.CatalogueEntry;
import dev.redisfn.response.CatalogueReply;
import dev.redisfn.response.ConnectionReport;
import dev.redisfn.response.OperationResult;
import dev.redisfn.response.OutputFormat;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * The Funqy functions themselves, as any Funqy binding calls them (over HTTP the front door serves
 * the same pipelines): their {@code Uni}s answer with the same results and failures, and a call
 * gives back the reply budget it reserved once it ends.
 */
@QuarkusTest
class FunqyFunctionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ExecuteFunction execute;
    @Inject
    TestConnectionFunction testConnection;
    @Inject
    OperationsFunction operations;
    @Inject
    ReplyGuards guards;

    private static JsonNode event(Object... keysAndValues) {
        return JSON.valueToTree(map(keysAndValues));
    }

    private OperationResult run(String operation, Map<String, Object> params) {
        Object answer = execute.execute(event("connection", Events.standalone(), "operation", operation, "params", params))
                .await().atMost(WAIT);
        return assertInstanceOf(OperationResult.class, answer);
    }

    @Test
    void executeSetsThenGetsAgainstARealRedis() {
        OperationResult set = run("SET", map("key", "funqy:set-get", "value", "alice"));
        assertTrue(set.ok());
        assertEquals("SET", set.operation());
        assertTrue(set.result().isBoolean() && set.result().booleanValue(), String.valueOf(set.result()));
        OperationResult get = run("GET", map("key", "funqy:set-get"));
        assertTrue(get.ok());
        assertEquals("alice", get.result().textValue());
        assertTrue(run("GET", map("key", "funqy:missing")).result().isNull(), "a nil reply is an explicit null");
    }

    @Test
    void anInvalidEventFailsTheUniWithTheErrorItsEnvelopeNeeds() {
        Uni<Object> call = execute.execute(event("connection", Events.standalone(), "operation", "GET",
                "params", map("key", "funqy:k", "colour", "red"), "output", "tencent"));
        Throwable failure = failureOf(call);
        CallFailure refused = assertInstanceOf(CallFailure.class, failure);
        assertEquals(ErrorCode.INVALID_REQUEST, refused.error().code());
        assertTrue(refused.error().getMessage().contains("colour"), refused.error().getMessage());
        assertEquals("GET", refused.operation());
        assertEquals(OutputFormat.TENCENT, refused.format());
    }

    @Test
    void aLargeReplysReservationIsGivenBackWhenTheUniEnds() {
        String large = "x".repeat(256 * 1024); // well over what a call holds without reserving
        run("SET", map("key", "funqy:large", "value", large));
        long before = guards.budget().inUse();
        OperationResult get = run("GET", map("key", "funqy:large"));
        assertEquals(large.length(), get.result().textValue().length());
        // the call takes over what the reply guard held of the reply and gives it back as the Uni ends, which may be a
        // moment after the result reached this thread; an older reply that no call claimed (a probe's) may be gone too
        Waits.until("the reply budget back at " + before + " or less", Duration.ofSeconds(5),
                () -> guards.budget().inUse() <= before, () -> "in use: " + guards.budget().inUse());
    }

    @Test
    void testConnectionGivesItsVerdict() {
        ConnectionReport report = testConnection.testConnection(event("connection", Events.standalone()))
                .await().atMost(WAIT);
        assertTrue(report.ok(), report.message());
        assertEquals(ConnectionReport.SUCCESS, report.message());
        assertEquals("standalone", report.mode());
        assertEquals("master", report.role());
        assertEquals(1, report.nodes().size());

        ConnectionReport wrong = testConnection.testConnection(
                event("connection", Events.with(Events.standalone(), "password", "wrong-pw"))).await().atMost(WAIT);
        assertFalse(wrong.ok());
        assertEquals("AUTH_FAILED", wrong.code());
    }

    @Test
    void operationsListsTheCatalogueWholeOrByGroup() {
        CatalogueReply all = operations.operations(null);
        assertEquals(all.operations().size(), all.count());
        CatalogueEntry get = all.operations().stream().filter(entry -> entry.name().equals("GET")).findFirst().orElseThrow();
        assertEquals("string", get.group());
        assertEquals("read", get.access());

        OperationsQuery hashes = new OperationsQuery();
        hashes.setGroup("hash");
        CatalogueReply hash = operations.operations(hashes);
        assertTrue(hash.count() > 0 && hash.count() < all.count(), hash.count() + " of " + all.count());
        assertTrue(hash.operations().stream().allMatch(entry -> entry.group().equals("hash")));
        assertTrue(hash.operations().stream().anyMatch(entry -> entry.name().equals("HGETALL")));
    }

    private static Throwable failureOf(Uni<?> call) {
        Throwable failure = call.onItem().transform(item -> (Throwable) null).onFailure().recoverWithItem(f -> f)
                .await().atMost(WAIT);
        assertNotNull(failure, "the call failed");
        return failure;
    }
}
