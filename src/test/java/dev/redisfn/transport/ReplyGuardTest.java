package dev.redisfn.transport;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;

/**
 * ReplyGuard on Netty's in-memory channel: each write is one socket read, and what reaches the end
 * of the pipeline is what Vert.x' parser would get. Every read is a pooled buffer, and every test
 * ends by checking that each of them was released and the budget is back at 0.
 */
class ReplyGuardTest {

    private static final long MB = 1 << 20;
    private static final String TOO_LARGE_1MB = "-REPLYTOOLARGE the reply is larger than 1048576 bytes\r\n";
    private static final String NO_BUDGET = "-REPLYBUDGET too many large replies are being read at once; retry\r\n";

    /** Under a 1 MB limit; RESP2 and RESP3, nulls and empties, a push and an attribute. */
    private static final String MIX = "+OK\r\n" + "-ERR unknown command 'FOO'\r\n" + ":42\r\n" + ":-7\r\n"
            + "$5\r\nhello\r\n" + "$0\r\n\r\n" + "$-1\r\n" + "$6\r\na\r\nb\nc\r\n"
            + "*0\r\n" + "*-1\r\n" + "*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n$-1\r\n"
            + "_\r\n" + ",3.14\r\n" + ",inf\r\n" + "#t\r\n" + "#f\r\n" + "(3492890328409238509324850943850943825024385\r\n"
            + "!21\r\nSYNTAX invalid syntax\r\n" + "=15\r\ntxt:Some string\r\n"
            + "%2\r\n+first\r\n:1\r\n+second\r\n*1\r\n~2\r\n+x\r\n+y\r\n" + "%0\r\n" + "~1\r\n_\r\n"
            + ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
            + "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n"
            + "*3\r\n:1\r\n:2\r\n|1\r\n+ttl\r\n:3600\r\n:3\r\n" + "+\r\n" + ":0\r\n";

    private final List<Wire> wires = new ArrayList<>();

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterEach
    void everyReadWasReleasedAndTheBudgetIsBackAtZero() {
        for (Wire wire : wires) {
            wire.channel.finishAndReleaseAll();
            for (ByteBuf read : wire.reads) {
                assertEquals(0, read.refCnt(), "a read buffer was not released");
            }
            assertEquals(0, guardHeld(wire.budget), "budget not returned");
        }
    }

    @Test
    void underLimitRepliesComeOutByteIdenticalWhateverTheChunking() {
        byte[] stream = MIX.repeat(3).getBytes(ISO_8859_1);
        for (Chunking chunking : List.of(Chunking.WHOLE, Chunking.BYTES, Chunking.random(2, 1), Chunking.random(9, 2),
                Chunking.random(40, 3), Chunking.random(200, 4))) {
            Wire wire = wire(MB, new ReplyBudget(MB));
            assertEquals(MIX.repeat(3), text(wire.feed(stream, chunking)), chunking.name);
        }
    }

    @Test
    void aReadOfWholeRepliesIsForwardedAsTheSameBuffer() {
        Wire wire = wire(MB, new ReplyBudget(0)); // and needs no budget
        ByteBuf read = wire.buffer("$5\r\nhello\r\n:1\r\n+OK\r\n");
        wire.channel.writeInbound(read);
        ByteBuf out = wire.channel.readInbound();
        assertSame(read, out);
        assertEquals(1, out.refCnt(), "passed on, not released by the guard");
        out.release();
        assertTrue(wire.channel.inboundMessages().isEmpty());
    }

    @Test
    void wholeRepliesLeaveAtOnceAndAHeldReplyLeavesAsOneBufferWithTheRepliesAfterIt() {
        Wire wire = wire(MB, new ReplyBudget(MB));
        assertEquals(List.of("+OK\r\n:1\r\n"), wire.read("+OK\r\n:1\r\n$10\r\nhel"));
        assertEquals(8, guardHeld(wire.budget), "the held start of the bulk");
        assertEquals(List.of(), wire.read("lo"));
        assertEquals(10, guardHeld(wire.budget));
        assertEquals(List.of("$10\r\nhelloworld\r\n:2\r\n"), wire.read("world\r\n:2\r\n"));
        assertEquals(0, guardHeld(wire.budget));
        assertEquals(List.of("*1\r\n:1\r\n"), wire.read("*1\r\n:1\r\n*2\r\n:1"));
        assertEquals(List.of("*2\r\n:1\r\n:2\r\n"), wire.read("\r\n:2\r\n"));
    }

    @Test
    void aHeldReplyKeepsItsBudgetWhileParsedAndALargeOneGetsFreshParsers() {
        ReplyBudget budget = new ReplyBudget(MB);
        List<Long> inUseWhileParsed = new ArrayList<>();
        int[] renewals = {0};
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyGuard(MB, budget, () -> renewals[0]++),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        inUseWhileParsed.add(budget.inUse()); // what Vert.x' parser does happens here
                        ReferenceCountUtil.release(msg);
                    }
                });
        String value = "v".repeat(ReplyGuard.LARGE_READ);
        String start = "$" + value.length() + "\r\n" + value.substring(0, 10_000); // more than a call claims
        assertTrue(start.length() >= ReplyBudget.MIN_HANDED);
        channel.writeInbound(Unpooled.copiedBuffer(start, ISO_8859_1));
        channel.writeInbound(Unpooled.copiedBuffer(value.substring(10_000) + "\r\n", ISO_8859_1));
        assertEquals(List.of((long) start.length()), inUseWhileParsed, "held bytes stay reserved while parsed");
        assertEquals(0, guardHeld(budget));
        assertEquals(2, renewals[0], "a fresh parser before the large reply and after it");
        channel.writeInbound(Unpooled.copiedBuffer(":1\r\n", ISO_8859_1));
        assertEquals(2, renewals[0], "none around a small one");
        String whole = "$" + value.length() + "\r\n" + value + "\r\n";
        channel.writeInbound(Unpooled.copiedBuffer(whole, ISO_8859_1));
        assertEquals(4, renewals[0], "before and after a large read that follows a small one");
        channel.writeInbound(Unpooled.copiedBuffer(whole, ISO_8859_1));
        assertEquals(5, renewals[0], "after only, when the parser is still fresh from the last large read");
        channel.finishAndReleaseAll();
    }

    @Test
    void theCallChargingAHeldReplyTakesOverItsBudgetInsteadOfCountingItTwice() {
        ReplyBudget budget = new ReplyBudget(100_000);
        ReplyBudget other = new ReplyBudget(50_000);
        List<Boolean> charged = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyGuard(MB, budget, () -> { }),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        // a call charges its parsed reply here: 90,000 bytes, 60,000 of which the guard holds for it;
                        // a call of another budget cannot take them
                        charged.add(other.tryReserveForCall(60_000, 90_000));
                        charged.add(budget.tryReserveForCall(90_000, 90_000));
                        ReferenceCountUtil.release(msg);
                    }
                });
        String value = "v".repeat(70_000);
        channel.writeInbound(Unpooled.copiedBuffer("$70000\r\n" + value.substring(0, 59_992), ISO_8859_1));
        assertEquals(60_000, budget.inUse(), "the start of the reply, held");
        channel.writeInbound(Unpooled.copiedBuffer(value.substring(59_992) + "\r\n", ISO_8859_1));
        assertEquals(List.of(false, true), charged,
                "60,000 taken over and 30,000 more fit in 100,000, counted twice they would not; none for the other budget");
        assertEquals(0, other.inUse());
        assertEquals(90_000, budget.inUse(), "the call holds 90,000, the guard nothing");
        budget.release(90_000);
        assertTrue(budget.tryReserveForCall(100_000, 100_000), "a claimed hand-over is not claimed again");
        assertEquals(100_000, budget.inUse());
        budget.release(100_000);
        channel.finishAndReleaseAll();
    }

    /** A held part smaller than any call claims is given back as it is handed on: many such must not pile up. */
    @Test
    void aSmallHeldReplyIsReleasedAsItIsHandedOn() {
        ReplyBudget budget = new ReplyBudget(MB);
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyGuard(MB, budget, () -> { }));
        channel.writeInbound(Unpooled.copiedBuffer("$10\r\nhello", ISO_8859_1));
        assertEquals(10, budget.inUse());
        channel.writeInbound(Unpooled.copiedBuffer("world\r\n", ISO_8859_1));
        assertEquals(0, budget.inUse());
        assertEquals(0, budget.unclaimed());
        channel.finishAndReleaseAll();
    }

    /**
     * Vert.x may complete a reply's future on another event loop, whose task queue then holds the parsed
     * reply: its reservation waits for whichever thread charges it, and a reply no call charges (its
     * call was abandoned) gives it back after a while.
     */
    @Test
    void aHandedReplyStaysReservedUntilACallOnAnyThreadClaimsItOrItExpires() throws Exception {
        long[] now = {0};
        ReplyBudget budget = new ReplyBudget(25_000, () -> now[0]);
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyGuard(MB, budget, () -> { }));
        String value = "v".repeat(10_000);
        String start = "$10000\r\n" + value.substring(0, 9_992);
        channel.writeInbound(Unpooled.copiedBuffer(start, ISO_8859_1));
        channel.writeInbound(Unpooled.copiedBuffer(value.substring(9_992) + "\r\n", ISO_8859_1));
        channel.releaseInbound();
        assertEquals(10_000, budget.inUse(), "the parsed reply is still on its way to its call");
        assertEquals(10_000, budget.unclaimed());
        assertFalse(budget.tryReserve(16_000), "the reply in transit counts");
        Thread other = new Thread(() -> assertTrue(budget.tryReserveForCall(12_000, 10_016)));
        other.start();
        other.join();
        assertEquals(12_000, budget.inUse(), "the call took the 10,000 over and reserved 2,000 more");
        assertEquals(0, budget.unclaimed());
        budget.release(12_000);

        channel.writeInbound(Unpooled.copiedBuffer(start, ISO_8859_1));
        channel.writeInbound(Unpooled.copiedBuffer(value.substring(9_992) + "\r\n", ISO_8859_1));
        channel.releaseInbound();
        assertFalse(budget.tryReserve(16_000), "unclaimed, within its time");
        now[0] += ReplyBudget.UNCLAIMED_NANOS;
        assertTrue(budget.tryReserve(16_000), "an abandoned call's reply gives its bytes back once it has waited too long");
        assertEquals(16_000, budget.inUse());
        channel.finishAndReleaseAll();
    }

    @Test
    void anOversizedBulkBecomesOneErrorLineWhateverTheChunkingAndIsNeverHeld() {
        String before = "+OK\r\n$5\r\nhello\r\n*2\r\n:1\r\n:2\r\n";
        String after = ":7\r\n$3\r\nbye\r\n";
        byte[] big = ("$" + 10 * MB + "\r\n").getBytes(ISO_8859_1);
        byte[] stream = concat(before.getBytes(ISO_8859_1), big, new byte[(int) (10 * MB)], "\r\n".getBytes(ISO_8859_1),
                after.getBytes(ISO_8859_1));
        for (Chunking chunking : List.of(Chunking.WHOLE, Chunking.random(70_000, 5), Chunking.random(3_000, 6))) {
            Wire wire = wire(MB, new ReplyBudget(MB));
            assertEquals(before + TOO_LARGE_1MB + after, text(wire.feed(stream, chunking)), chunking.name);
            assertTrue(wire.maxInUse <= before.length() + big.length, "only headers and small replies held: " + wire.maxInUse);
            if (chunking == Chunking.WHOLE) {
                assertEquals(0, wire.maxInUse, "replies complete within a read need no budget");
            }
        }
    }

    @Test
    void anOversizedBulkFedByteByByteBecomesOneErrorLine() {
        String stream = ":1\r\n$2000\r\n" + "x".repeat(2000) + "\r\n:2\r\n";
        Wire wire = wire(1000, new ReplyBudget(MB));
        assertEquals(":1\r\n" + tooLarge(1000) + ":2\r\n", text(wire.feed(stream.getBytes(ISO_8859_1), Chunking.BYTES)));
        assertTrue(wire.maxInUse <= 7, "nothing of the payload held: " + wire.maxInUse);
    }

    @Test
    void anArrayOf200000SmallElementsOverTheLimitBecomesOneErrorLine() {
        String array = "*200000\r\n" + ":1\r\n".repeat(200_000);
        byte[] stream = ("+before\r\n" + array + "+after\r\n").getBytes(ISO_8859_1);
        for (Chunking chunking : List.of(Chunking.WHOLE, Chunking.random(5_000, 7))) {
            Wire wire = wire(MB, new ReplyBudget(MB));
            assertEquals("+before\r\n" + TOO_LARGE_1MB + "+after\r\n", text(wire.feed(stream, chunking)), chunking.name);
            assertTrue(wire.maxInUse < 100, "refused on its header: " + wire.maxInUse);
        }
    }

    @Test
    void aNestedArrayOverTheLimitIsReplacedWholeAndWhatWasHeldOfItReturned() {
        String bulk = "$400000\r\n" + "v".repeat(400_000) + "\r\n";
        String nested = "*3\r\n+a\r\n*3\r\n" + bulk + bulk + bulk + ":5\r\n"; // the third bulk crosses 1 MB
        byte[] stream = (":1\r\n" + nested + ":2\r\n").getBytes(ISO_8859_1);
        for (Chunking chunking : List.of(Chunking.WHOLE, Chunking.random(65_536, 8), Chunking.random(1_000, 9))) {
            Wire wire = wire(MB, new ReplyBudget(MB));
            assertEquals(":1\r\n" + TOO_LARGE_1MB + ":2\r\n", text(wire.feed(stream, chunking)), chunking.name);
            assertTrue(wire.maxInUse <= MB, "held at most the limit: " + wire.maxInUse);
        }
    }

    @Test
    void aRunningCountOverTheLimitIsCaughtWhileHolding() {
        String element = "$2000\r\n" + "e".repeat(2000) + "\r\n";
        String array = "*1000\r\n" + element.repeat(1000); // 64 000 in element cost, then about 2 MB of bulks
        Wire wire = wire(MB, new ReplyBudget(MB));
        assertEquals(TOO_LARGE_1MB + ":9\r\n", text(wire.feed((array + ":9\r\n").getBytes(ISO_8859_1), Chunking.random(65_536, 10))));
        assertTrue(wire.maxInUse > MB / 2 && wire.maxInUse <= MB, "held until the count crossed the limit: " + wire.maxInUse);
    }

    @Test
    void aLineLongerThanTheLimitIsOverTheLimitEvenSplitAcrossReads() {
        String stream = "+" + "s".repeat(5000) + "\r\n-ERR " + "e".repeat(900) + "\r\n";
        Wire wire = wire(1000, new ReplyBudget(MB));
        assertEquals(tooLarge(1000) + "-ERR " + "e".repeat(900) + "\r\n", text(wire.feed(stream.getBytes(ISO_8859_1), Chunking.random(300, 11))));
    }

    @Test
    void anAggregateHeaderOf2Pow31Minus1ElementsIsRefusedBeforeAnyElementArrives() {
        for (String header : List.of("*2147483647\r\n", "%2147483647\r\n", "~2147483647\r\n")) {
            Wire wire = wire(MB, new ReplyBudget(MB));
            assertEquals(List.of(TOO_LARGE_1MB), wire.read(header), header);
            assertEquals(List.of(), wire.read(":1\r\n:2\r\n"), "its elements are skipped");
        }
    }

    @Test
    void anAttributeBelongsToTheReplyItPrecedes() {
        String attribute = "|1\r\n+key-popularity\r\n:1\r\n";
        String reply = "$2000\r\n" + "r".repeat(2000) + "\r\n";
        Wire wire = wire(1000, new ReplyBudget(MB));
        assertEquals(List.of(), wire.read(attribute), "held: the reply it goes with has not come yet");
        assertEquals(List.of(tooLarge(1000), ":3\r\n"), wire.read(reply + ":3\r\n"));
        assertEquals(List.of(":4\r\n"), wire.read(":4\r\n"));
    }

    @Test
    void anOversizedPushIsDroppedWithoutAnErrorLineBecauseItAnswersNoCommand() {
        String push = ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2000\r\n" + "p".repeat(2000) + "\r\n";
        Wire wire = wire(1000, new ReplyBudget(MB));
        assertEquals(":1\r\n:2\r\n", text(wire.feed((":1\r\n" + push + ":2\r\n").getBytes(ISO_8859_1), Chunking.random(100, 12))));
    }

    @Test
    void randomRepliesComeOutAsTheSizeModelSaysWhateverTheChunking() {
        // ~100 000 reads: the refCnt checks alone here, as a stack trace per buffer would take half a minute
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try {
            checkAgainstTheModel(42, 400_000, List.of(Chunking.WHOLE, Chunking.random(16, 13), Chunking.random(3_000, 14),
                    Chunking.random(70_000, 15)));
            checkAgainstTheModel(43, 60_000, List.of(Chunking.BYTES));
        } finally {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
    }

    private void checkAgainstTheModel(long seed, int size, List<Chunking> chunkings) {
        int limit = 4096;
        Generator generator = new Generator(new Random(seed), limit);
        while (generator.stream.size() < size) {
            generator.message();
        }
        byte[] stream = generator.stream.toByteArray();
        assertTrue(generator.refused > 2 && generator.forwarded > 10 * generator.refused,
                "a mix of both: " + generator.forwarded + " forwarded, " + generator.refused + " refused");
        for (Chunking chunking : chunkings) {
            Wire wire = wire(limit, new ReplyBudget(MB));
            assertArrayEquals(generator.expected.toByteArray(), wire.feed(stream, chunking), chunking.name);
            assertTrue(wire.maxInUse <= limit, chunking.name + " held more than the limit: " + wire.maxInUse);
        }
    }

    @Test
    void anExhaustedBudgetGivesReplyBudgetAndTheOtherConnectionsAreUnaffected() {
        ReplyBudget budget = new ReplyBudget(64);
        Wire first = wire(1000, budget);
        Wire second = wire(1000, budget);
        assertEquals(List.of(), first.read("$100\r\n" + "a".repeat(30)));
        assertEquals(36, guardHeld(budget));
        assertEquals(List.of(":1\r\n", NO_BUDGET), second.read(":1\r\n$100\r\n" + "b".repeat(40)));
        assertEquals(36, guardHeld(budget), "the refused reply holds nothing");
        assertEquals(List.of(":2\r\n"), second.read("b".repeat(60) + "\r\n:2\r\n"));
        assertEquals(List.of("$100\r\n" + "a".repeat(100) + "\r\n"), first.read("a".repeat(70) + "\r\n"));
        assertEquals(0, guardHeld(budget));
        assertEquals(List.of(), second.read("$10\r\n01234"));
        assertEquals(List.of("$10\r\n0123456789\r\n"), second.read("56789\r\n"));
    }

    @Test
    void theBudgetIsReturnedWhenAHeldReplyIsDiscarded() {
        ReplyBudget budget = new ReplyBudget(MB);
        Wire wire = wire(1000, budget);
        assertEquals(List.of(), wire.read("*3\r\n$400\r\n" + "x".repeat(200)));
        assertEquals(210, guardHeld(budget));
        assertEquals(List.of(tooLarge(1000)), wire.read("x".repeat(200) + "\r\n$400\r\n" + "y".repeat(10)));
        assertEquals(0, guardHeld(budget));
        assertEquals(List.of(":1\r\n"), wire.read("y".repeat(390) + "\r\n:0\r\n:1\r\n"));
    }

    @Test
    void theBudgetIsReturnedWhenTheChannelClosesWithDataHeld() {
        ReplyBudget budget = new ReplyBudget(MB);
        Wire wire = wire(MB, budget);
        wire.read("$100\r\n" + "c".repeat(50));
        wire.read("c".repeat(20));
        assertEquals(76, guardHeld(budget));
        wire.channel.close();
        assertEquals(0, guardHeld(budget));
    }

    @Test
    void theBudgetIsReturnedOnAnExceptionWithDataHeld() {
        ReplyBudget budget = new ReplyBudget(MB);
        Wire wire = wire(MB, budget);
        wire.read("$100\r\n" + "c".repeat(50));
        wire.channel.pipeline().fireExceptionCaught(new IOException("connection reset"));
        assertEquals(0, guardHeld(budget));
        assertThrows(IOException.class, wire.channel::checkException);
    }

    @Test
    void aRemovedGuardHandsOnWhatItHeldSoTheStreamStaysWhole() {
        Wire wire = wire(MB, new ReplyBudget(MB));
        wire.read("+OK\r\n$10\r\nhello");
        wire.channel.pipeline().remove(ReplyGuard.class);
        assertEquals(0, guardHeld(wire.budget));
        assertEquals(List.of("$10\r\nhello"), wire.drain());
        assertEquals(List.of("world\r\n"), wire.read("world\r\n"));
    }

    @Test
    void anHttpAnswerIsForwardedUnchangedAndTheConnectionClosed() {
        Wire wire = wire(1000, new ReplyBudget(MB));
        String http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        ByteBuf read = wire.buffer("+OK\r\n" + http);
        wire.channel.writeInbound(read);
        ByteBuf out = wire.channel.readInbound();
        assertSame(read, out, "forwarded as it came");
        out.release();
        assertFalse(wire.channel.isOpen(), "nothing more is read from a server that is not speaking RESP");
    }

    @Test
    void garbageAfterAHeldPartialReplyForwardsTheHeldBytesAndTheRestUnchanged() {
        Wire wire = wire(1000, new ReplyBudget(MB));
        assertEquals(List.of(), wire.read("*2\r\n:1\r\n"));
        assertEquals(List.of("*2\r\n:1\r\nHTTP/1.1 400 Bad Request\r\n"), wire.read("HTTP/1.1 400 Bad Request\r\n"));
        assertEquals(0, guardHeld(wire.budget));
    }

    @Test
    void garbageWhileSkippingARefusedReplyIsForwardedFromTheBadElement() {
        Wire wire = wire(1000, new ReplyBudget(MB));
        assertEquals(List.of(tooLarge(1000)), wire.read("*2\r\n$5000\r\n"));
        assertEquals(List.of("<html>"), wire.read("b".repeat(5000) + "\r\n<html>"));
    }

    @Test
    void malformedLengthsAreHandedOnAndCloseTheConnection() {
        // Vert.x' parser may fail on them or not (it reads "*-2" as a null array): either way no reply after them is read unguarded
        for (String bad : List.of("$1x\r\nab\r\n", "*-2\r\n", "$\r\n", "*2147483648\r\n", "$5\rx", "*12345678901234567890\r\n")) {
            Wire wire = wire(1000, new ReplyBudget(MB));
            assertEquals(List.of(":1\r\n" + bad), wire.read(":1\r\n" + bad), bad);
            assertFalse(wire.channel.isOpen(), "closed after " + bad);
            assertEquals(0, guardHeld(wire.budget));
        }
    }

    @Test
    void nestingOf64LevelsIsGuardedAndDeeperClosesTheConnection() {
        Wire deep = wire(10_000, new ReplyBudget(MB));
        String levels64 = "*1\r\n".repeat(64) + ":1\r\n";
        assertEquals(List.of(levels64), deep.read(levels64));
        assertEquals(List.of(tooLarge(10_000)), deep.read("$20000\r\n"), "still guarded");
        assertTrue(deep.channel.isOpen());

        Wire deeper = wire(10_000, new ReplyBudget(MB));
        String levels65 = "*1\r\n".repeat(65) + ":1\r\n";
        assertEquals(List.of(levels65), deeper.read(levels65));
        assertFalse(deeper.channel.isOpen(), "closed: deeper than the guard follows");
    }

    /** A reply over the limit is dropped as it comes; one that goes on past the cap closes the connection. */
    @Test
    void aReplyThatNeverEndsClosesItsConnectionOnceItsDroppedBytesPassTheCap() {
        Wire wire = wire(1024, new ReplyBudget(MB));
        assertEquals(List.of(tooLarge(1024)), wire.read("$" + (4L << 30) + "\r\n"));
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        while (wire.channel.isOpen() && sent <= ReplyGuard.MIN_DISCARD_CAP + MB) {
            wire.channel.writeInbound(wire.buffer(chunk, 0, chunk.length));
            wire.reads.clear(); // each was released as it was dropped; a billion bytes of them need not stay listed
            sent += chunk.length;
        }
        assertFalse(wire.channel.isOpen(), "closed");
        assertTrue(sent > ReplyGuard.MIN_DISCARD_CAP - chunk.length, "not before the cap: " + sent);
        assertTrue(sent <= ReplyGuard.MIN_DISCARD_CAP + chunk.length, "soon after it: " + sent);
        assertEquals(List.of(), wire.drain(), "nothing of it went on");
    }

    /** A reply that ends is dropped whole however long, and the connection goes on: the cap counts one reply. */
    @Test
    void droppedRepliesThatEndLeaveTheConnectionOpen() {
        Wire wire = wire(1024, new ReplyBudget(MB));
        String reply = "$" + 4000 + "\r\n" + "x".repeat(4000) + "\r\n";
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(tooLarge(1024), ":1\r\n"), wire.read(reply + ":1\r\n"));
        }
        assertTrue(wire.channel.isOpen());
    }

    /**
     * The handshake's guard, before the function has the connection: a reply no Redis server sends in
     * a handshake reaches Vert.x as a byte that is not RESP (which fails the connect as not Redis), and
     * the connection is closed; the replies of a handshake pass.
     */
    @Test
    void theHandshakeGuardTurnsAnOversizedReplyIntoNotResp() {
        ReplyBudget budget = new ReplyBudget(MB);
        Wire wire = new Wire(ReplyGuard.forHandshake(budget), budget);
        wires.add(wire);
        assertEquals(List.of("+PONG\r\n"), wire.read("+PONG\r\n"));
        assertEquals(List.of("@\r\n"), wire.read("*999999999\r\n"));
        assertFalse(wire.channel.isOpen(), "closed");
    }

    // ---------------------------------------------------------------------------------------------

    private Wire wire(long limit, ReplyBudget budget) {
        Wire wire = new Wire(limit, budget);
        wires.add(wire);
        return wire;
    }

    private static String tooLarge(long limit) {
        return "-REPLYTOOLARGE the reply is larger than " + limit + " bytes\r\n";
    }

    private static String text(byte[] bytes) {
        return new String(bytes, ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** How a stream is cut into reads. */
    private record Chunking(String name, int max, long seed) {
        static final Chunking WHOLE = new Chunking("whole", Integer.MAX_VALUE, 0);
        static final Chunking BYTES = new Chunking("one byte per read", 1, 0);

        static Chunking random(int max, long seed) {
            return new Chunking("random reads of 1.." + max + " bytes, seed " + seed, max, seed);
        }

        IntSupplier sizes() {
            Random random = new Random(seed);
            return max == 1 || max == Integer.MAX_VALUE ? () -> max : () -> 1 + random.nextInt(max);
        }
    }

    /** A guarded channel, the reads written to it and what it forwarded. */
    private static final class Wire {
        final ReplyBudget budget;
        final EmbeddedChannel channel;
        final List<ByteBuf> reads = new ArrayList<>();
        final ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        long maxInUse;
        int renewals;

        Wire(long limit, ReplyBudget budget) {
            this.budget = budget;
            this.channel = new EmbeddedChannel(new ReplyGuard(limit, budget, () -> renewals++));
        }

        Wire(ReplyGuard guard, ReplyBudget budget) {
            this.budget = budget;
            this.channel = new EmbeddedChannel(guard);
        }

        /** A pooled read buffer whose readable bytes do not start at index 0. */
        ByteBuf buffer(String text) {
            return buffer(text.getBytes(ISO_8859_1), 0, text.length());
        }

        ByteBuf buffer(byte[] bytes, int from, int length) {
            ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(length + 3);
            read.writeBytes(new byte[] { 'x', 'y', 'z' }).skipBytes(3).writeBytes(bytes, from, length);
            reads.add(read);
            return read;
        }

        /** One socket read; what it caused to be forwarded, one string per buffer. */
        List<String> read(String text) {
            channel.writeInbound(buffer(text));
            return drain();
        }

        List<String> drain() {
            List<String> out = new ArrayList<>();
            for (ByteBuf buf; (buf = channel.readInbound()) != null;) {
                byte[] bytes = ByteBufUtil.getBytes(buf);
                buf.release();
                forwarded.writeBytes(bytes);
                out.add(text(bytes));
            }
            maxInUse = Math.max(maxInUse, guardHeld(budget));
            return out;
        }

        /** Writes the stream read by read; everything forwarded meanwhile. */
        byte[] feed(byte[] stream, Chunking chunking) {
            IntSupplier sizes = chunking.sizes();
            for (int at = 0; at < stream.length;) {
                int n = Math.min(sizes.getAsInt(), stream.length - at);
                channel.writeInbound(buffer(stream, at, n));
                drain();
                at += n;
            }
            return forwarded.toByteArray();
        }
    }

    /**
     * Random top-level messages, and what the guard should make of them: the message itself when its
     * counted size (bytes plus {@link ReplyGuard#ELEMENT_COST} per aggregate element) is within the
     * limit, else an error line, or nothing for a push.
     */
    private static final class Generator {
        final Random random;
        final long limit;
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int refused;
        int forwarded;
        private ByteArrayOutputStream message;
        private long elements;

        Generator(Random random, long limit) {
            this.random = random;
            this.limit = limit;
        }

        void message() {
            message = new ByteArrayOutputStream();
            elements = 0;
            int kind = random.nextInt(20);
            boolean push = kind == 0;
            if (push) {
                aggregate('>', 1 + random.nextInt(4), 1);
            } else {
                if (kind == 1) {
                    attribute(1);
                }
                element(kind < 10 ? 0 : 4); // half of them scalars, like most real replies
            }
            byte[] bytes = message.toByteArray();
            stream.writeBytes(bytes);
            if (bytes.length + elements * ReplyGuard.ELEMENT_COST <= limit) {
                expected.writeBytes(bytes);
                forwarded++;
            } else {
                if (!push) {
                    expected.writeBytes(tooLarge(limit).getBytes(ISO_8859_1));
                }
                refused++;
            }
        }

        /** Exactly one element as its parent counts them. */
        private void element(int depth) {
            switch (random.nextInt(depth < 4 ? 17 : 12)) {
                case 0 -> line('+', text());
                case 1 -> line('-', "ERR " + text());
                case 2 -> line(':', Long.toString(random.nextLong()));
                case 3, 4 -> bulk('$', payload());
                case 5 -> write("$-1\r\n");
                case 6 -> write(random.nextBoolean() ? "_\r\n" : "*-1\r\n");
                case 7 -> line(',', random.nextBoolean() ? "3.14" : "-inf");
                case 8 -> line('#', random.nextBoolean() ? "t" : "f");
                case 9 -> line('(', "3492890328409238509324850943850943825024385");
                case 10 -> bulk('!', ("SYNTAX " + text()).getBytes(ISO_8859_1));
                case 11 -> bulk('=', concat("txt:".getBytes(ISO_8859_1), payload()));
                case 12, 13 -> aggregate('*', random.nextInt(random.nextInt(10) == 0 ? 120 : 6), depth + 1);
                case 14 -> aggregate('%', random.nextInt(4), depth + 1);
                case 15 -> aggregate('~', random.nextInt(5), depth + 1);
                default -> { // an attribute before an element is no element of its own
                    attribute(depth + 1);
                    element(depth);
                }
            }
        }

        private void aggregate(char type, int n, int depth) {
            write(type + Integer.toString(n) + "\r\n");
            int count = type == '%' ? 2 * n : n;
            elements += count;
            for (int i = 0; i < count; i++) {
                element(depth);
            }
        }

        private void attribute(int depth) {
            write("|1\r\n");
            elements += 2;
            line('+', "key-popularity");
            element(depth);
        }

        private void line(char type, String text) {
            write(type + text + "\r\n");
        }

        private void bulk(char type, byte[] payload) {
            write(type + Integer.toString(payload.length) + "\r\n");
            message.writeBytes(payload);
            write("\r\n");
        }

        private void write(String text) {
            message.writeBytes(text.getBytes(ISO_8859_1));
        }

        private String text() {
            int roll = random.nextInt(100);
            int length = roll == 0 && random.nextBoolean() ? 5000 : roll < 3 ? random.nextInt(2000) : random.nextInt(30);
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) ('a' + random.nextInt(26));
            }
            return new String(chars);
        }

        /** Binary, CR and LF included: bulk payloads are skipped by length. */
        private byte[] payload() {
            int roll = random.nextInt(100);
            byte[] payload = new byte[roll == 0 ? 3000 + random.nextInt(20_000) : roll < 6 ? random.nextInt(3000) : random.nextInt(100)];
            random.nextBytes(payload);
            return payload;
        }
    }

    /** What the guard itself holds: the budget in use less the replies handed on and not yet claimed by a call. */
    private static long guardHeld(ReplyBudget budget) {
        return budget.inUse() - budget.unclaimed();
    }
}
