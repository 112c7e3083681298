package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;

import java.util.List;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Server and connection checks. */
final class Server {

    private Server() {
    }

    static List<Operation> operations() {
        return new Group("server")
                .op("PING", READ, "PONG, or the message given.", List.of(Params.MESSAGE), Server::ping, Results::text)
                .operations();
    }

    private static Request ping(Args args) {
        Request request = Request.cmd(Command.PING);
        String message = args.string("message");
        return message == null ? request : request.arg(message);
    }
}
