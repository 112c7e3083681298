package dev.redisfn.request;

/**
 * The memory a request may take for the JSON tree of its body beyond what its body's bytes
 * reserved: the front door reserves it from the body budget and gives it back with the body.
 */
@FunctionalInterface
public interface TreeAllowance {

    /**
     * Reserves {@code bytes} more, the tree weighing {@code weight} bytes so far; throws the
     * {@link dev.redisfn.model.ConnectorException} to answer when it cannot.
     */
    void reserve(long bytes, long weight);
}
