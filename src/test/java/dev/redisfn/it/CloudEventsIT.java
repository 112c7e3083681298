package dev.redisfn.it;

import dev.redisfn.deploy.CloudEventsTest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CloudEventsTest} against the packaged function (jar, or native executable with -Pnative) in its own process. */
@QuarkusIntegrationTest
class CloudEventsIT extends CloudEventsTest {
}
