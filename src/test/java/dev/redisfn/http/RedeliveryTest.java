package dev.redisfn.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedeliveryTest {

    @Test
    void aStatusABrokerReadsRightIsKept() {
        assertEquals(502, Redelivery.status(502, true), "CONNECTION_FAILED, retryable");
        assertEquals(503, Redelivery.status(503, true), "OVERLOADED");
        assertEquals(504, Redelivery.status(504, true), "a read that timed out");
        assertEquals(409, Redelivery.status(409, true), "CONFLICT");
        assertEquals(400, Redelivery.status(400, false), "INVALID_REQUEST");
        assertEquals(422, Redelivery.status(422, false), "WRONG_TYPE");
        assertEquals(403, Redelivery.status(403, false), "COMMAND_NOT_ALLOWED");
    }

    @Test
    void aRetryableErrorABrokerWouldDropAsks503() {
        assertEquals(503, Redelivery.status(422, true), "a LOADING or BUSY reply");
        assertEquals(503, Redelivery.status(408, true), "a body that came too slowly");
    }

    @Test
    void anErrorThatMustNotBeRepeatedAnswersAStatusABrokerDoesNotRetry() {
        assertEquals(422, Redelivery.status(504, false), "a write that timed out and may have been applied");
        assertEquals(422, Redelivery.status(500, false), "INTERNAL");
        assertEquals(422, Redelivery.status(502, false), "a connection failure no retry mends");
    }
}
