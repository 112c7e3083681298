package dev.redisfn.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * REST Assured makes an HTTP client per request and leaves its connection open until the client is
 * collected; over a run of thousands of calls those connections reached the function's
 * {@code quarkus.http.limits.max-connections}, and the function then closed every new one — tests
 * failing for a limit the tests themselves exhausted. Each request says {@code Connection: close}, so
 * the function closes it once answered and a run holds only the connections in flight.
 */
public class ClosingConnections implements QuarkusTestBeforeEachCallback {

    private static final class CloseAfterAnswer implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Connection")) {
                request.header("Connection", "close");
            }
            return context.next(request, response);
        }
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(CloseAfterAnswer.class::isInstance)) {
            RestAssured.filters(new CloseAfterAnswer());
        }
    }
}
