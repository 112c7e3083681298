package dev.redisfn.function;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SentinelOperationsTest extends OperationContract {

    @Override
    Map<String, Object> connection() {
        return Events.sentinel();
    }
}
