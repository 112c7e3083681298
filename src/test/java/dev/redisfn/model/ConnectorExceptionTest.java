package dev.redisfn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectorExceptionTest {

    @Test
    void anErrorPlacedInABatchKeepsItsRetryabilityAndId() {
        ConnectorException loading = ConnectorException.retryableRedisError("LOADING Redis is loading the dataset");
        ConnectorException placed = loading.at("batch[2]", " (nothing was applied)", "retry shortly");
        assertEquals(ErrorCode.REDIS_ERROR, placed.code());
        assertTrue(placed.retryable(), "a retryable error stays retryable where it is placed");
        assertEquals("batch[2]: LOADING Redis is loading the dataset (nothing was applied)", placed.getMessage());
        assertEquals("retry shortly", placed.hint());

        ConnectorException internal = ConnectorException.internal("e-42").at("watch.k", "", null);
        assertEquals("e-42", internal.toBody().id());
    }
}
