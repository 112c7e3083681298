package dev.redisfn.transport;

import java.util.function.BooleanSupplier;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Holds the flushes of one event-loop turn and sends them as one write when the turn's tasks run
 * (as Netty's {@code FlushConsolidationHandler} does), unless nothing is held and the sending
 * call is alone on its client: a lone call (one connection, light load) does not wait for the
 * rest of the turn, and Redis starts on it while this thread finishes the HTTP side. Held writes
 * also leave when {@value #MAX_HELD} are held, when the channel stops being writable and before
 * it closes.
 */
final class TurnFlush extends ChannelDuplexHandler {

    static final int MAX_HELD = 256;

    private final BooleanSupplier alone;
    private final Runnable endOfTurn = this::flushHeld;
    private ChannelHandlerContext context;
    private int held;

    TurnFlush(BooleanSupplier alone) {
        this.alone = alone;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (held == 0 && alone.getAsBoolean()) {
            ctx.flush();
        } else if (held++ == 0) {
            ctx.channel().eventLoop().execute(endOfTurn);
        } else if (held == MAX_HELD) {
            flushHeld();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            flushHeld();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushHeld();
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushHeld();
        ctx.disconnect(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushHeld();
    }

    private void flushHeld() {
        if (held > 0) {
            held = 0;
            context.flush();
        }
    }
}
