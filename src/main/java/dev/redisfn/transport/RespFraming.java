package dev.redisfn.transport;

import io.netty.buffer.ByteBuf;

/**
 * The framing half of {@link ReplyGuard}: follows a RESP2/RESP3 byte stream read by read, knows
 * where each top-level message starts and ends, and keeps its counted size (see
 * {@link ReplyGuard#ELEMENT_COST}). It never looks at payloads and never allocates: bulk payloads
 * are passed over by index arithmetic, lines by {@link ByteBuf#indexOf}, and the parse state is a
 * few fields plus a fixed stack of remaining-element counts, so it can stop at any byte and go on
 * in the next read.
 */
final class RespFraming {

    /** Deeper nesting is treated as a broken stream (Vert.x' own stack is shallower still). */
    static final int MAX_DEPTH = 64;

    /** {@link #scan} ran to the end of the range. */
    static final int END = 0;
    /** The current message went over the limit; the framing now skips it unless {@link #skipping()} says it ended. */
    static final int OVERSIZE = 1;
    /** A message that was being skipped ended at {@link #position()}. */
    static final int SKIPPED = 2;
    /** The bytes are not RESP (or nest too deep); {@link #position()} is the offending byte. */
    static final int MALFORMED = 3;

    private static final int TYPE = 0, LENGTH = 1, LENGTH_LF = 2, LINE = 3, PAYLOAD = 4;
    private static final int MORE = 0, DONE = 1, BAD = 2;

    private final long limit;
    private final int elementCost;
    private final long[] remaining = new long[MAX_DEPTH];
    private long attributes; // bit d: the aggregate open at depth d is an attribute, which no parent counts
    private int depth;
    private int state = TYPE;
    private byte type;
    private long number;
    private int digits;
    private boolean negative;
    private long payloadLeft; // of the bulk being passed over, its CRLF included
    private boolean open; // a top-level message has started and not yet ended
    private long counted;
    private boolean skipping;
    private boolean push;
    private int replyStart;
    private int elementStart;
    private int position;

    RespFraming(long limit, int elementCost) {
        this.limit = limit;
        this.elementCost = elementCost;
    }

    /** Call before scanning a new buffer whose first readable byte is at {@code from}. */
    void begin(int from) {
        replyStart = open ? -1 : from;
        elementStart = from;
    }

    /** Whether a top-level message has started and not ended. */
    boolean open() {
        return open;
    }

    /** Where the open (or just refused) message began in this buffer; -1 if in an earlier one. */
    int replyStart() {
        return replyStart;
    }

    /** Where the element being read began in this buffer (the buffer's start if in an earlier one). */
    int elementStart() {
        return elementStart;
    }

    boolean skipping() {
        return skipping;
    }

    /** Whether the current message is a RESP3 push, which answers no command. */
    boolean push() {
        return push;
    }

    int position() {
        return position;
    }

    /** Drops the rest of the open message: frame it, count nothing, report {@link #SKIPPED} at its end. */
    void skip() {
        skipping = true;
    }

    /** Reads {@code in[from, to)} until an event other than a message that simply ended; see the constants. */
    int scan(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to) {
            boolean done; // an element ended
            switch (state) {
                case TYPE -> {
                    byte b = in.getByte(i);
                    if (!open) {
                        open = true;
                        replyStart = i;
                    }
                    if (depth == 0) {
                        push = b == '>'; // the last top-level type byte: attributes come before the reply
                    }
                    elementStart = i++;
                    counted++;
                    type = b;
                    switch (b) {
                        case '$', '!', '=', '*', '%', '~', '>', '|' -> {
                            state = LENGTH;
                            number = 0;
                            digits = 0;
                            negative = false;
                        }
                        case '+', '-', ':', ',', '(', '#', '_' -> state = LINE;
                        default -> {
                            return stop(i - 1, MALFORMED);
                        }
                    }
                    continue;
                }
                case LENGTH -> {
                    byte b = in.getByte(i++);
                    counted++;
                    if (b >= '0' && b <= '9') {
                        if (++digits > 18) { // a length Redis cannot send, and one that could overflow the count
                            return stop(i - 1, MALFORMED);
                        }
                        number = number * 10 + (b - '0');
                    } else if (b == '\r') {
                        state = LENGTH_LF;
                    } else if (b == '-' && digits == 0 && !negative) {
                        negative = true;
                    } else {
                        return stop(i - 1, MALFORMED);
                    }
                    continue;
                }
                case LENGTH_LF -> {
                    if (in.getByte(i) != '\n') {
                        return stop(i, MALFORMED);
                    }
                    i++;
                    counted++;
                    int header = header();
                    if (header == BAD) {
                        return stop(elementStart, MALFORMED);
                    }
                    done = header == DONE;
                }
                case LINE -> {
                    int lf = in.indexOf(i, to, (byte) '\n');
                    int end = lf < 0 ? to : lf + 1;
                    counted += end - i; // a line split across reads is counted as it comes
                    i = end;
                    done = lf >= 0;
                    if (done) {
                        state = TYPE;
                    }
                }
                default -> { // PAYLOAD
                    long n = Math.min(payloadLeft, to - i);
                    i += (int) n;
                    payloadLeft -= n;
                    done = payloadLeft == 0;
                    if (done) {
                        state = TYPE;
                    }
                }
            }
            boolean over = !skipping && counted > limit;
            if (over) {
                skipping = true;
            }
            if (done && elementDone()) {
                boolean skipped = skipping;
                open = false;
                counted = 0;
                skipping = false;
                if (skipped) {
                    return stop(i, over ? OVERSIZE : SKIPPED);
                }
            } else if (over) {
                return stop(i, OVERSIZE);
            }
        }
        return stop(to, END);
    }

    private int stop(int at, int event) {
        position = at;
        return event;
    }

    /** A complete length line: DONE for a null or an empty aggregate, MORE when content follows. */
    private int header() {
        state = TYPE;
        if (digits == 0) {
            return BAD;
        }
        if (negative) { // $-1, *-1: a null; no other negative length exists
            return number == 1 ? DONE : BAD;
        }
        if (type == '$' || type == '!' || type == '=') {
            payloadLeft = number + 2;
            counted += payloadLeft; // announced: an oversized bulk is refused before any of it arrives
            state = PAYLOAD;
            return MORE;
        }
        if (number > Integer.MAX_VALUE) { // Vert.x refuses these as well
            return BAD;
        }
        boolean pairs = type == '%' || type == '|';
        long elements = pairs ? 2 * number : number;
        counted += elements * elementCost; // announced: Vert.x allocates the slots as soon as it sees the header
        if (elements == 0) {
            return type == '|' ? MORE : DONE; // an empty attribute is no element; the reply still follows
        }
        if (depth == MAX_DEPTH) {
            return BAD;
        }
        if (type == '|') {
            attributes |= 1L << depth;
        }
        remaining[depth++] = elements;
        return MORE;
    }

    /** Counts one finished element into its aggregates; true when it ended the top-level message. */
    private boolean elementDone() {
        while (depth > 0) {
            if (--remaining[depth - 1] > 0) {
                return false;
            }
            long bit = 1L << --depth;
            if ((attributes & bit) != 0) { // an attribute precedes an element and is not one itself
                attributes &= ~bit;
                return false;
            }
        }
        return true;
    }
}
