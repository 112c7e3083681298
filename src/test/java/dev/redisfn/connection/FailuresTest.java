package dev.redisfn.connection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

/**
 * A connection that breaks under a command: once the server had answered on it, a reset or a close
 * means Redis went away (a restart, a shutdown), and the hint says so instead of pointing at TLS,
 * which is what a connection dropped at its very start suggests.
 */
class FailuresTest {

    @Test
    void aResetOfAnEstablishedConnectionIsALostConnectionWithoutATlsHint() {
        for (Throwable broken : new Throwable[] {new SocketException("Connection reset"), new ClosedChannelException()}) {
            ConnectorException lost = (ConnectorException) Failures.transport(broken, true);
            assertEquals(ErrorCode.CONNECTION_FAILED, lost.code());
            assertThat(lost.getMessage(), containsString("closed while the call was in flight"));
            assertThat(lost.hint(), startsWith("host/port"));
            assertThat(lost.hint(), not(containsString("tls")));
        }
    }

    @Test
    void aResetAtTheStartOfAConnectionKeepsItsTlsHint() {
        SocketException reset = new SocketException("Connection reset");
        assertThat("left to the caller's classification", Failures.transport(reset, false), sameInstance(reset));
        ConnectorException classified = Failures.toConnectorException(reset);
        assertEquals(ErrorCode.CONNECTION_FAILED, classified.code());
        assertThat(classified.hint(), startsWith("tls"));
    }

    @Test
    void aNewConnectionDroppedByAServerThatAnsweredBeforeHasNoTlsHint() {
        for (Throwable dropped : new Throwable[] {new SocketException("Connection reset"), new ClosedChannelException()}) {
            ConnectorException first = Failures.notSent(dropped, false).error();
            assertThat(first.hint(), containsString("tls"));
            ConnectorException later = Failures.notSent(dropped, true).error();
            assertEquals(ErrorCode.CONNECTION_FAILED, later.code());
            assertThat(later.getMessage(), containsString("answered at this address before"));
            assertThat(later.hint(), not(containsString("tls")));
        }
        ConnectException refused = new ConnectException("Connection refused");
        assertThat("a refusal says what it says either way", Failures.notSent(refused, true).error().hint(),
                startsWith("host/port: nothing answers there"));
    }
}
