package dev.redisfn.transport;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Keeps any single Redis reply larger than a limit away from Vert.x' RESP parser, which buffers a
 * whole reply on the heap and preallocates an N-slot array for an {@code *N} header: one large
 * value or a huge array would otherwise end a function running with a small heap. It sits in a
 * Redis connection's pipeline in front of Vert.x' handler and follows only the framing of the
 * inbound stream ({@link RespFraming}).
 * <p>
 * Complete replies pass untouched; a read holding nothing but whole replies is forwarded as the
 * very same buffer. A reply cut off at the end of a read is held as retained slices until it is
 * complete, against a {@link ReplyBudget} shared by all connections. A reply whose counted size
 * (its bytes plus {@value #ELEMENT_COST} per aggregate element) exceeds the limit, or whose held
 * bytes the budget cannot cover, is dropped as it arrives and replaced by one RESP error line, so
 * the command gets a clean error and the connection stays in step. Bytes that are not RESP (or
 * nest deeper than it follows) are handed on, so that Vert.x fails the command with its own error,
 * and the connection is closed: a server that Vert.x would follow past them gets no unguarded reply.
 */
public final class ReplyGuard extends ChannelInboundHandlerAdapter {

    /** Counted per aggregate element: roughly what Vert.x spends on the heap for one, whatever its bytes. */
    public static final int ELEMENT_COST = 64;

    /** Set by the first bytes the server sends: the connection reached a peer that answers. */
    private volatile boolean answered;

    /** A reply arriving in more reads than this is merged into one buffer, so a trickle cannot pin many read buffers. */
    static final int MAX_HELD_COMPONENTS = 256;
    /** After handing on this many bytes at once, the parser is renewed (see {@link RedisSockets#renewParser}). */
    static final int LARGE_READ = 64 * 1024;

    private static final byte[] BUDGET_ERROR =
            "-REPLYBUDGET too many large replies are being read at once; retry\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The code of the error reply that stands in for a reply over the limit. */
    public static final String TOO_LARGE = "REPLYTOOLARGE";
    /** The largest reply of a connection's handshake (PING: +PONG, or a refusal): one larger is no Redis server's. */
    static final long HANDSHAKE_REPLY_SIZE = 64 * 1024;
    /** Handed to Vert.x' parser in place of a handshake reply that is too large: a type byte neither RESP2 nor RESP3 has. */
    private static final byte[] NOT_RESP = "@\r\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Bytes of one reply over the limit that are read and dropped before the connection is closed: a
     * real reply ends (Redis caps a string at 512 MiB by default), a server that never ends its reply
     * would keep an event loop busy for nothing.
     */
    static final long MIN_DISCARD_CAP = 1L << 30;

    private final ReplyBudget budget;
    private final RespFraming framing;
    private final byte[] tooLargeError;
    private final Runnable renewParser;
    private final boolean handshake;
    private final long discardCap;
    private long discarded; // bytes of the reply being dropped, read so far
    private CompositeByteBuf held; // the start of the open reply, from earlier reads
    private long reserved; // what held has taken from the budget
    private boolean transparent;
    private boolean forwardedWhole; // the current read went on as it came, so it is not ours to release
    private boolean parserFresh; // the parser was renewed and has been handed nothing since

    /**
     * @param renewParser gives the connection a fresh RESP parser, so that Vert.x' parser does not keep
     *        a large reply's bytes and copy them along with the next read
     */
    public ReplyGuard(long maxReplySize, ReplyBudget budget, Runnable renewParser) {
        this(maxReplySize, budget, renewParser, false);
    }

    private ReplyGuard(long maxReplySize, ReplyBudget budget, Runnable renewParser, boolean handshake) {
        if (maxReplySize <= 0 || maxReplySize > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("maxReplySize out of range: " + maxReplySize);
        }
        this.budget = budget;
        this.renewParser = renewParser;
        this.handshake = handshake;
        this.discardCap = Math.max(MIN_DISCARD_CAP, 8 * maxReplySize);
        this.framing = new RespFraming(maxReplySize, ELEMENT_COST);
        this.tooLargeError = ("-" + TOO_LARGE + " the reply is larger than " + maxReplySize + " bytes\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The guard of a connection's handshake, in its pipeline from the first byte (see {@link
     * GuardedNetClient}): a reply over {@value #HANDSHAKE_REPLY_SIZE} bytes is no Redis server's, so
     * Vert.x gets a byte that is not RESP — and fails the connect as a server that does not speak
     * Redis — and the connection is closed. Replaced by the function's own guard once the connection
     * is handed over ({@link RedisSockets#guard}).
     */
    static ReplyGuard forHandshake(ReplyBudget budget) {
        return new ReplyGuard(HANDSHAKE_REPLY_SIZE, budget, () -> {
        }, true);
    }

    boolean isHandshake() {
        return handshake;
    }

    /** Takes over what the handshake guard saw: whether the server answered. */
    void after(ReplyGuard handshakeGuard) {
        answered = handshakeGuard.answered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!answered) { // written once: a volatile write on every read would fence each one
            answered = true;
        }
        if (transparent || !(msg instanceof ByteBuf in)) {
            parserFresh = false;
            ctx.fireChannelRead(msg);
            return;
        }
        int first = in.readerIndex();
        int end = in.writerIndex();
        int from = first; // the first byte of this read not yet forwarded, dropped or held
        forwardedWhole = false;
        framing.begin(first);
        try {
            for (int event = framing.scan(in, first, end); event != RespFraming.END;
                    event = framing.scan(in, framing.position(), end)) {
                if (event == RespFraming.MALFORMED) {
                    // from the broken element on, so that Vert.x sees it and fails the command with its own
                    // error (a reply being dropped has had its error line already); then the connection is
                    // closed, whether or not Vert.x took the bytes: nothing after them is read unguarded
                    transparent = true;
                    emit(ctx, in, framing.skipping() ? framing.elementStart() : from, end);
                    ctx.close();
                    return;
                }
                if (event == RespFraming.OVERSIZE && handshake) {
                    transparent = true;
                    if (framing.replyStart() < 0) {
                        discardHeld(); // the start of this very reply
                    } else {
                        emit(ctx, in, from, framing.replyStart()); // whole replies before it
                    }
                    ctx.fireChannelRead(Unpooled.wrappedBuffer(NOT_RESP));
                    ctx.close();
                    return;
                }
                if (event == RespFraming.OVERSIZE) {
                    refuse(ctx, in, from, tooLargeError);
                }
                if (!framing.skipping()) { // the dropped reply is over: what follows is forwarded again
                    from = framing.position();
                    discarded = 0;
                }
            }
            if (framing.skipping()) { // all of this read belongs to a dropped reply
                discarded += end - from;
                if (discarded > discardCap) { // a reply that does not end: the connection goes, its calls fail
                    transparent = true;
                    ctx.close();
                }
                return;
            }
            if (!framing.open()) {
                emit(ctx, in, from, end);
            } else if (framing.replyStart() >= 0) {
                emit(ctx, in, from, framing.replyStart());
                hold(ctx, in, framing.replyStart(), end);
            } else {
                hold(ctx, in, first, end); // the held reply goes on through all of this read
            }
        } finally {
            if (!forwardedWhole) {
                in.release();
            }
        }
    }

    /**
     * Forwards the held reply, if any (it is complete, or the guard is giving up), followed by {@code
     * in[from, to)}. A held reply keeps its part of the budget while Vert.x copies it to the heap and
     * parses it, and after: the call that charges the parsed reply, on whichever thread, takes that
     * part over (see {@link ReplyBudget#handOver}), so the reply is counted once and all the while.
     */
    private void emit(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
        ByteBuf out;
        if (held != null) {
            if (to > from) {
                held.addComponent(true, in.retainedSlice(from, to - from));
            }
            out = held;
            held = null;
            budget.handOver(reserved);
            reserved = 0;
            forward(ctx, out);
            return;
        } else if (to <= from) {
            return;
        } else if (from == in.readerIndex() && to == in.writerIndex()) {
            out = in; // the fast path: nothing held, only whole replies
            forwardedWhole = true;
        } else {
            out = in.retainedSlice(from, to - from);
        }
        forward(ctx, out);
    }

    /**
     * Hands bytes to Vert.x. A large read goes to a fresh parser, which takes it as it is (an old one
     * would copy it onto the bytes it kept), and the parser is renewed again after it, so that it
     * does not keep the read either (and the next large read finds it fresh already).
     */
    private void forward(ChannelHandlerContext ctx, ByteBuf out) {
        boolean large = out.readableBytes() >= LARGE_READ && !transparent;
        if (large && !parserFresh) {
            renewParser.run();
        }
        parserFresh = false;
        ctx.fireChannelRead(out);
        if (large) {
            renewParser.run();
            parserFresh = true;
        }
    }

    /** Adds {@code in[from, to)} to the held reply, or drops the reply if the budget cannot cover it. */
    private void hold(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
        int bytes = to - from;
        if (bytes == 0) {
            return;
        }
        if (!budget.tryReserve(bytes)) {
            framing.skip();
            refuse(ctx, in, from, BUDGET_ERROR);
            return;
        }
        reserved += bytes;
        if (held == null) {
            held = ctx.alloc().compositeBuffer(MAX_HELD_COMPONENTS);
        }
        held.addComponent(true, in.retainedSlice(from, bytes));
    }

    /** Drops the current reply (already skipping) and answers its command with {@code error} in its place. */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int from, byte[] error) {
        int start = framing.replyStart();
        if (start < 0) {
            discardHeld(); // what is held is the start of this very reply
        } else {
            emit(ctx, in, from, start); // whole replies before it, a completed held one first
        }
        if (!framing.push()) { // a push answers no command: an error in its place would answer the next one
            // a buffer that can grow: a parser with nothing kept adopts it as its own and appends the next read to it
            parserFresh = false;
            ctx.fireChannelRead(Unpooled.buffer(error.length).writeBytes(error));
        }
    }

    private void discardHeld() {
        if (held != null) {
            held.release();
            held = null;
            unreserve();
        }
    }

    private void unreserve() {
        budget.release(reserved);
        reserved = 0;
    }

    /** Whether the server ever sent a byte on this connection (a refusal then says more than "maybe TLS"). */
    public boolean answered() {
        return answered;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (held != null) { // the stream is broken mid-reply: let Vert.x see what follows and fail
            discardHeld();
            transparent = true;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null && ctx.channel().isActive()) { // the rest of the reply will reach Vert.x directly
            CompositeByteBuf start = held;
            held = null;
            unreserve();
            ctx.fireChannelRead(start);
            ctx.fireChannelReadComplete();
        } else {
            discardHeld();
        }
    }
}
