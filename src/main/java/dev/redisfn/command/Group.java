package dev.redisfn.command;

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
        return op(name, name, access, description, params, builder, mapper);
    }

    /** A single-command operation sending a command other than its name, e.g. SET with options. */
    Group op(String name, String command, Access access, String description, List<Param> params,
            Function<Args, Request> builder, Operation.ResultMapper mapper) {
        return add(signature(name, command, access, description, params), Operation.Execution.single(builder, mapper),
                Operation.Traits.PLAIN);
    }

    /** A multi-key operation that cluster mode splits per slot and recombines ({@code rule}: joined or summed). */
    Group split(String name, Access access, String description, List<Param> params, Command command,
            Operation.ResultMapper mapper, Operation.ClusterRule rule) {
        return add(signature(name, name, access, description, params),
                Operation.Execution.single(a -> Commands.withKeys(command, a.keyList()), mapper),
                new Operation.Traits(rule, command, false, false));
    }

    /** An operation of several round trips. */
    Group runner(String name, String command, Access access, String description, List<Param> params,
            Operation.Runner runner) {
        return add(signature(name, command, access, description, params), Operation.Execution.steps(runner),
                Operation.Traits.PLAIN);
    }

    /** Has the single-command operation declared last run {@code steps} instead for the calls {@code when} picks. */
    Group orSteps(java.util.function.Predicate<Args> when, Operation.Runner steps) {
        int last = operations.size() - 1;
        operations.set(last, operations.get(last).with(operations.get(last).execution().orSteps(when, steps)));
        return this;
    }

    /** Marks the operation declared last as needing all its keys in one cluster slot. */
    Group oneSlot() {
        return last(traits -> traits.with(Operation.ClusterRule.ONE_SLOT));
    }

    /** Marks the operation declared last as one whose {@code entries} cluster mode splits per slot, each part with {@code command}. */
    Group splitEntries(Command command) {
        return last(traits -> new Operation.Traits(Operation.ClusterRule.SPLIT_ENTRIES, command, traits.admin(),
                traits.scripted()));
    }

    /** Marks the operation declared last as one cluster mode sends to every master ({@code rule}: summed or all). */
    Group everyMaster(Operation.ClusterRule rule) {
        return last(traits -> traits.with(rule));
    }

    /** Marks the operation declared last as administrative (denied unless enabled by name). */
    Group admin() {
        return last(Operation.Traits::administrative);
    }

    /** Marks every operation of the group as running caller-written scripts (off unless scripting is on). */
    Group scripted() {
        operations.replaceAll(operation -> operation.with(new Operation.Traits(operation.traits().cluster(),
                operation.traits().splitCommand(), operation.traits().admin(), true)));
        return this;
    }

    private Group last(java.util.function.UnaryOperator<Operation.Traits> change) {
        int last = operations.size() - 1;
        operations.set(last, operations.get(last).with(change.apply(operations.get(last).traits())));
        return this;
    }

    private Operation.Signature signature(String name, String command, Access access, String description,
            List<Param> params) {
        return new Operation.Signature(name, this.name, access, command, description, List.copyOf(params));
    }

    List<Operation> operations() {
        return List.copyOf(operations);
    }

    private Group add(Operation.Signature signature, Operation.Execution execution, Operation.Traits traits) {
        operations.add(new Operation(signature, execution, traits));
        return this;
    }
}
