package dev.redisfn.command;

import static dev.redisfn.command.Access.WRITE;

import java.util.List;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Publish/subscribe: PUBLISH here; the bounded SUBSCRIBE is a helper (it needs a connection of its own). */
final class PubSub {

    static final Param CHANNEL = Param.required("channel", ParamType.STRING, "The channel to publish on.");
    static final Param MESSAGE = Param.required("message", ParamType.VALUE, "The message (follows encoding).");

    private PubSub() {
    }

    static List<Operation> operations() {
        return new Group("pubsub")
                .op("PUBLISH", WRITE, "Send a message to a channel; returns how many subscribers received it.",
                        List.of(CHANNEL, MESSAGE),
                        a -> Request.cmd(Command.PUBLISH).arg(a.string("channel")).arg(a.value("message")),
                        Results::integer)
                .operations();
    }
}
