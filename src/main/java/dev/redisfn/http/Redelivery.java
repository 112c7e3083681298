package dev.redisfn.http;

/**
 * How a broker reads the status of a failed CloudEvent delivery. Knative Eventing's data plane
 * delivers an event again after 404, 409, 429 and 5xx and never after another 4xx, so a CloudEvent
 * call's status follows its error's {@code retryable}: a retryable error whose status a broker would
 * not retry (a Redis LOADING or BUSY reply, 422) answers 503, and an error that must not be retried
 * but whose status would be (a write that timed out and may have been applied, 504; an internal
 * error, 500) answers 422. The body keeps the error's code either way.
 */
final class Redelivery {

    /** What a retryable error answers when its own status would end the delivery. */
    static final int RETRY_LATER = 503;
    /** What an error that must not be delivered again answers when its own status would be retried. */
    static final int DO_NOT_RETRY = 422;

    private Redelivery() {
    }

    static int status(int status, boolean retryable) {
        boolean redelivered = status == 404 || status == 409 || status == 429 || status >= 500;
        if (retryable == redelivered) {
            return status;
        }
        return retryable ? RETRY_LATER : DO_NOT_RETRY;
    }
}
