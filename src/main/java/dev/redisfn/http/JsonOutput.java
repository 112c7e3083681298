package dev.redisfn.http;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.ObjectWriter;

import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * Writes an answer as JSON straight into the buffer that goes to the socket, and no larger than a
 * cap: JSON can be six times the bytes it carries (a control character is {@code \u0000}), so an
 * answer is bounded where it is written, not only where its replies were read.
 */
final class JsonOutput extends OutputStream {

    /** Thrown by {@link #write} past the cap; Jackson passes it out of {@code writeValue} as it is. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super(null, null);
        }
    }

    private final ByteBuf buffer = Unpooled.buffer(512);
    private final long cap;

    private JsonOutput(long cap) {
        this.cap = cap;
    }

    /** {@code value} as JSON, or REPLY_TOO_LARGE once it would pass {@code cap} bytes. */
    static Buffer write(ObjectWriter writer, Object value, long cap) throws IOException {
        JsonOutput out = new JsonOutput(cap);
        try {
            writer.writeValue(out, value);
        } catch (TooLarge e) {
            out.buffer.release();
            throw new ConnectorException(ErrorCode.REPLY_TOO_LARGE, "the answer would be larger than " + cap
                    + " bytes as JSON (control characters take six bytes each; base64 encoding takes 4/3)",
                    Failures.READ_IN_PARTS);
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

    private void room(int more) throws TooLarge {
        if (buffer.writerIndex() + (long) more > cap) {
            throw new TooLarge();
        }
    }
}
