package dev.redisfn.connection;

import java.util.concurrent.TimeoutException;

/**
 * A node that accepted the connection and then answered nothing in time: busy (a long script,
 * CLIENT PAUSE, DEBUG SLEEP) or overloaded — reachable, unlike one that never accepted.
 */
final class SilentNode extends TimeoutException {

    SilentNode(String message) {
        super(message);
    }
}
