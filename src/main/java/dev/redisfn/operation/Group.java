package dev.redisfn.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** Collects the operations of one data group; each group class fills one. */
final class Group {

    private final String name;
    private final List<Operation> operations = new ArrayList<>();

    Group(String name) {
        this.name = name;
    }

    /** A single-command operation named after its Redis command. */
    Group op(String name, Access access, String description, List<Param> params, Function<Args, Request> builder,
            Operation.ResultMapper mapper) {
        return add(new Operation(name, this.name, access, name, description, params, builder, mapper, null, null, null));
    }

    /** A single-command operation sending a command other than its name, e.g. SET with options. */
    Group op(String name, String command, Access access, String description, List<Param> params,
            Function<Args, Request> builder, Operation.ResultMapper mapper) {
        return add(new Operation(name, this.name, access, command, description, params, builder, mapper, null, null, null));
    }

    /** A multi-key operation that cluster mode splits per slot and recombines. */
    Group split(String name, Access access, String description, List<Param> params, Command command,
            Operation.ResultMapper mapper, Operation.KeySplit split) {
        return add(new Operation(name, this.name, access, name, description, params,
                a -> Commands.withKeys(command, a.keyList()), mapper, null, split, command));
    }

    /** An operation of several round trips. */
    Group runner(String name, String command, Access access, String description, List<Param> params,
            Operation.Runner runner) {
        return add(new Operation(name, this.name, access, command, description, params, null, null, runner, null, null));
    }

    /** Marks the operation declared last as needing all its keys in one cluster slot. */
    Group oneSlot() {
        operations.set(operations.size() - 1, operations.get(operations.size() - 1).requiringOneSlot());
        return this;
    }

    /** Marks the operation declared last as administrative (denied unless enabled by name). */
    Group admin() {
        operations.set(operations.size() - 1, operations.get(operations.size() - 1).administrative());
        return this;
    }

    List<Operation> operations() {
        return List.copyOf(operations);
    }

    private Group add(Operation operation) {
        operations.add(operation);
        return this;
    }
}
