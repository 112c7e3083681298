package dev.redisfn.http;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.ObjectWriter;

import dev.redisfn.command.ReplyAccount;
import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * Writes an answer as JSON straight into the buffer that goes to the socket, and no larger than a
 * cap: JSON can be six times the bytes it carries (a control character is {@code \u0000}), so an
 * answer is bounded where it is written, not only where its replies were read. The buffer grows in
 * steps it first reserves from the call's {@link ReplyAccount}, so that the answers being written
 * at once stay within the reply budget too.
 */
final class JsonOutput extends OutputStream {

    /** Thrown by {@link #write} when the answer may not grow; Jackson passes it out of {@code writeValue} as it is. */
    private static final class Refused extends IOException {
        private final ConnectorException error;

        Refused(ConnectorException error) {
            super(null, null);
            this.error = error;
        }
    }

    /** Below this the buffer doubles as it grows; above, it grows by half. */
    private static final int DOUBLING = 64 * 1024;

    private final ByteBuf buffer;
    private final long cap;
    private final ReplyAccount account;

    private JsonOutput(long cap, ReplyAccount account) {
        this.cap = cap;
        this.account = account;
        // large replies: room for their text at once (reserved with them), so a plain value never copies its answer
        long replies = account == null ? 0 : account.counted();
        this.buffer = Unpooled.buffer(replies < DOUBLING ? 512 : (int) Math.min(cap, replies + 1024), Integer.MAX_VALUE);
    }

    /**
     * {@code value} as JSON; REPLY_TOO_LARGE once it would pass {@code cap} bytes, OVERLOADED when
     * {@code account} (null: none) cannot reserve its buffer.
     */
    static Buffer write(ObjectWriter writer, Object value, long cap, ReplyAccount account) throws IOException {
        JsonOutput out = new JsonOutput(cap, account);
        try {
            writer.writeValue(out, value);
        } catch (Refused e) {
            out.buffer.release();
            throw e.error;
        }
        return Buffer.buffer(out.buffer);
    }

    @Override
    public void write(int b) throws IOException {
        room(1);
        buffer.writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        room(length);
        buffer.writeBytes(bytes, offset, length);
    }

    private void room(int more) throws Refused {
        long needed = buffer.writerIndex() + (long) more;
        if (needed <= buffer.capacity()) {
            return;
        }
        if (needed > cap) {
            throw new Refused(new ConnectorException(ErrorCode.REPLY_TOO_LARGE, "the answer would be larger than " + cap
                    + " bytes as JSON (control characters take six bytes each; base64 encoding takes 4/3)",
                    Failures.READ_IN_PARTS));
        }
        int now = buffer.capacity();
        long grown = Math.min(cap, Math.max(needed, now < DOUBLING ? 2L * now : now + now / 2));
        if (account != null && !account.answerGrew(grown)) {
            throw new Refused(ReplyAccount.overloaded());
        }
        buffer.capacity((int) grown);
    }
}
