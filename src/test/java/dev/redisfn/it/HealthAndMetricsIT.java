package dev.redisfn.it;

import dev.redisfn.deploy.HealthAndMetricsTest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link HealthAndMetricsTest} against the packaged function (jar, or native executable with -Pnative) in its own process. */
@QuarkusIntegrationTest
class HealthAndMetricsIT extends HealthAndMetricsTest {
}
