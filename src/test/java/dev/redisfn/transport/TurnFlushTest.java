package dev.redisfn.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The flush policy of a shared Redis connection, on Netty's in-memory channel (nothing is sent
 * anywhere). EmbeddedChannel runs the loop's pending tasks, which end the turn, whenever a message
 * reaches its socket end; so each test writes its commands first and then flushes them, as
 * commands sent on a real connection in one turn would be.
 */
class TurnFlushTest {

    private final AtomicBoolean alone = new AtomicBoolean();
    private final EmbeddedChannel channel = new EmbeddedChannel(new TurnFlush(alone::get));

    private void write(String... commands) {
        for (String command : commands) {
            channel.pipeline().write(command);
        }
    }

    private void flush(int times) {
        for (int i = 0; i < times; i++) {
            channel.pipeline().flush();
        }
    }

    @Test
    void aLoneCallLeavesAtOnce() {
        alone.set(true);
        write("PING");
        flush(1);
        assertEquals(1, channel.outboundMessages().size(), "sent without waiting for the end of the turn");
    }

    @Test
    void callsAmongOthersLeaveTogetherAtTheEndOfTheTurn() {
        write("GET a", "GET b", "GET c");
        flush(2);
        alone.set(true); // a lone call behind held ones does not overtake them
        flush(1);
        assertTrue(channel.outboundMessages().isEmpty(), "held until the turn's tasks run");
        channel.runPendingTasks();
        assertEquals(3, channel.outboundMessages().size());
        assertEquals("GET a", channel.readOutbound());
    }

    @Test
    void aFullHoldLeavesWithoutWaiting() {
        for (int i = 0; i < TurnFlush.MAX_HELD; i++) {
            write("INCR n");
        }
        flush(TurnFlush.MAX_HELD - 1);
        assertTrue(channel.outboundMessages().isEmpty());
        flush(1);
        assertEquals(TurnFlush.MAX_HELD, channel.outboundMessages().size());
    }

    @Test
    void heldWritesLeaveBeforeTheChannelCloses() {
        write("SET k v");
        flush(1);
        channel.pipeline().close();
        assertEquals(1, channel.outboundMessages().size());
    }
}
