package dev.redisfn.operation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.connection.RedisTarget;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One catalogue entry: name, group, parameters, read or write, and how it runs — either a
 * single Redis command ({@code builder} + {@code mapper}, which a batch can pipeline) or a
 * {@code runner} for operations that need several round trips.
 */
public final class Operation {

    /** Maps a Redis reply to the operation's JSON result. */
    @FunctionalInterface
    public interface ResultMapper {
        JsonNode map(Response reply, Args args);
    }

    /** Runs an operation that is more than one command. */
    @FunctionalInterface
    public interface Runner {
        Uni<JsonNode> run(Args args, RedisTarget target);
    }

    /** How a multi-key command is split per slot in cluster mode and the parts combined. */
    public enum KeySplit {
        /** Replies are arrays, one element per key (MGET). */
        CONCAT,
        /** Replies are counts (DEL, EXISTS, UNLINK, TOUCH). */
        SUM
    }

    private final String name;
    private final String group;
    private final Access access;
    private final String command;
    private final String description;
    private final Map<String, Param> params;
    private final Function<Args, Request> builder;
    private final ResultMapper mapper;
    private final Runner runner;
    private final KeySplit split;
    private final Command splitCommand;
    private final boolean oneSlot;
    private final boolean admin;
    private final List<Param> declared;

    Operation(String name, String group, Access access, String command, String description, List<Param> params,
            Function<Args, Request> builder, ResultMapper mapper, Runner runner, KeySplit split, Command splitCommand) {
        this(name, group, access, command, description, List.copyOf(params), builder, mapper, runner, split, splitCommand,
                false, false);
    }

    private Operation(String name, String group, Access access, String command, String description, List<Param> params,
            Function<Args, Request> builder, ResultMapper mapper, Runner runner, KeySplit split, Command splitCommand,
            boolean oneSlot, boolean admin) {
        this.name = name;
        this.group = group;
        this.access = access;
        this.command = command;
        this.description = description;
        Map<String, Param> byName = new LinkedHashMap<>();
        params.forEach(param -> byName.put(param.name(), param));
        Params.COMMON.forEach(param -> byName.putIfAbsent(param.name(), param));
        this.params = Collections.unmodifiableMap(byName);
        this.builder = builder;
        this.mapper = mapper;
        this.runner = runner;
        this.split = split;
        this.splitCommand = splitCommand;
        this.oneSlot = oneSlot;
        this.admin = admin;
        this.declared = List.copyOf(params);
    }

    /** The same operation, marked as needing all its keys in one hash slot in cluster mode. */
    Operation requiringOneSlot() {
        return new Operation(name, group, access, command, description, declared, builder, mapper, runner, split,
                splitCommand, true, admin);
    }

    /** The same operation, marked administrative: off unless the deployment enables it by name. */
    Operation administrative() {
        return new Operation(name, group, access, command, description, declared, builder, mapper, runner, split,
                splitCommand, oneSlot, true);
    }

    public boolean isAdmin() {
        return admin;
    }

    /** Whether it runs a caller-written Lua script (off unless the deployment switches scripting on). */
    public boolean isScripted() {
        return group.equals("scripting");
    }

    /** The same operation under another name, e.g. an alias of another connector. */
    Operation renamed(String alias, String aliasGroup, String aliasDescription) {
        return new Operation(alias, aliasGroup, access, command, aliasDescription, declared, builder, mapper, runner,
                split, splitCommand, oneSlot, admin);
    }

    /** True when cluster mode must refuse calls whose keys span several slots (RENAME, SINTERSTORE, EVAL ...). */
    public boolean needsOneSlot() {
        return oneSlot;
    }

    public String name() {
        return name;
    }

    public String group() {
        return group;
    }

    public Access access() {
        return access;
    }

    /** The Redis command(s) it sends, as shown in the catalogue. */
    public String command() {
        return command;
    }

    public String description() {
        return description;
    }

    public Map<String, Param> paramsByName() {
        return params;
    }

    public KeySplit split() {
        return split;
    }

    /** The same command for a subset of the keys: one slot's share in cluster mode. */
    public Request requestForKeys(List<String> keys) {
        Request request = Request.cmd(splitCommand);
        keys.forEach(request::arg);
        return request;
    }

    /** True when the operation is one command, so a batch can pipeline it. */
    public boolean isSingleCommand() {
        return runner == null;
    }

    public Args args(com.fasterxml.jackson.databind.node.ObjectNode node) {
        return new Args(this, node);
    }

    public Request request(Args args) {
        return builder.apply(args);
    }

    public JsonNode map(Response reply, Args args) {
        return mapper.map(reply, args);
    }

    public Uni<JsonNode> run(Args args, RedisTarget target) {
        if (runner != null) {
            return runner.run(args, target);
        }
        Request request = builder.apply(args);
        return target.send(request).map(reply -> mapper.map(reply, args));
    }
}
