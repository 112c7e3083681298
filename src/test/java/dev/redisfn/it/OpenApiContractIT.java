package dev.redisfn.it;

import dev.redisfn.deploy.OpenApiContractTest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OpenApiContractTest} against the packaged function (jar, or native executable with -Pnative) in its own process. */
@QuarkusIntegrationTest
class OpenApiContractIT extends OpenApiContractTest {
}
