package dev.redisfn.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.connection.Target;
import dev.redisfn.security.KeyScope;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One catalogue entry, made of three named parts: its {@link Signature} (what a caller sees: name,
 * group, access, parameters), its {@link Execution} (how it runs: one command a batch can pipeline,
 * or a runner of several round trips) and its {@link Traits} (how cluster mode and the command
 * policy treat it). {@link Group} builds them; each data group class declares its operations.
 */
public final class Operation {

    /** Maps a Redis reply to the operation's JSON result. */
    @FunctionalInterface
    public interface ResultMapper {
        JsonNode map(Response reply, Args args);
    }

    /** Runs an operation that is more than one command; each reply it keeps is charged to the call's account. */
    @FunctionalInterface
    public interface Runner {
        Future<JsonNode> run(Args args, Target target, ReplyAccount replies);
    }

    /** What a caller sees of the operation. */
    public record Signature(String name, String group, Access access, String command, String description,
            List<Param> params) {
    }

    /**
     * One command ({@code builder} + {@code mapper}, which a batch can pipeline) or a {@code runner};
     * an operation with both runs its runner for the calls {@code runsSteps} picks (CAS comparing JSON
     * values, which must read the value first).
     */
    public record Execution(Function<Args, Request> builder, ResultMapper mapper, Runner runner,
            Predicate<Args> runsSteps) {

        static Execution single(Function<Args, Request> builder, ResultMapper mapper) {
            return new Execution(builder, mapper, null, args -> false);
        }

        static Execution steps(Runner runner) {
            return new Execution(null, null, runner, args -> true);
        }

        Execution orSteps(Predicate<Args> when, Runner steps) {
            return new Execution(builder, mapper, steps, when);
        }
    }

    /** How cluster mode treats an operation whose keys span hash slots. */
    public enum ClusterRule {
        /** Sent to the slot of its (first) key; no cross-slot check beyond what Redis does. */
        ROUTED,
        /** Refused with CROSS_SLOT before anything is sent when its keys span slots (RENAME, EVAL ...). */
        ONE_SLOT,
        /** Split into one command per slot; the array replies joined in the caller's order (MGET). */
        SPLIT_CONCAT,
        /** Split into one command per slot; the counts summed (DEL, EXISTS, UNLINK, TOUCH). */
        SPLIT_SUM,
        /** Its {@code entries} split into one command per slot, true when every part was stored (MSET). */
        SPLIT_ENTRIES,
        /** Sent to every master, the counts summed (DBSIZE). */
        EVERY_MASTER_SUM,
        /** Sent to every master, true when all succeeded (FLUSHDB, FLUSHALL, SCRIPT.FLUSH). */
        EVERY_MASTER
    }

    /**
     * How the cluster mode and the command policy treat the operation: its cluster rule (with the
     * command a split sends per slot), whether it is administrative (off unless enabled by name), and
     * whether it runs a caller-written script (off unless scripting is switched on).
     */
    public record Traits(ClusterRule cluster, Command splitCommand, boolean admin, boolean scripted) {

        static final Traits PLAIN = new Traits(ClusterRule.ROUTED, null, false, false);

        Traits with(ClusterRule rule) {
            return new Traits(rule, splitCommand, admin, scripted);
        }

        Traits administrative() {
            return new Traits(cluster, splitCommand, true, scripted);
        }
    }

    private final Signature signature;
    private final Execution execution;
    private final Traits traits;
    private final Map<String, Param> params;

    Operation(Signature signature, Execution execution, Traits traits) {
        this.signature = signature;
        this.execution = execution;
        this.traits = traits;
        Map<String, Param> byName = new LinkedHashMap<>();
        signature.params().forEach(param -> byName.put(param.name(), param));
        Params.COMMON.forEach(param -> byName.putIfAbsent(param.name(), param));
        this.params = Collections.unmodifiableMap(byName);
    }

    Operation with(Traits changed) {
        return new Operation(signature, execution, changed);
    }

    Execution execution() {
        return execution;
    }

    Operation with(Execution changed) {
        return new Operation(signature, changed, traits);
    }

    public String name() {
        return signature.name();
    }

    public String group() {
        return signature.group();
    }

    public Access access() {
        return signature.access();
    }

    /** The Redis command(s) it sends, as shown in the catalogue. */
    public String command() {
        return signature.command();
    }

    public String description() {
        return signature.description();
    }

    public Map<String, Param> paramsByName() {
        return params;
    }

    public Traits traits() {
        return traits;
    }

    public boolean isAdmin() {
        return traits.admin();
    }

    /** Whether it runs a caller-written Lua script (off unless the deployment switches scripting on). */
    public boolean isScripted() {
        return traits.scripted();
    }

    /**
     * The API key category that may run it: {@code admin} for an administrative operation or a
     * caller-written script, otherwise what its access is.
     */
    public KeyScope.Category keyCategory() {
        if (isAdmin() || isScripted()) {
            return KeyScope.Category.ADMIN;
        }
        return access() == Access.READ ? KeyScope.Category.READ : KeyScope.Category.WRITE;
    }

    /** True when cluster mode must refuse calls whose keys span several slots (RENAME, SINTERSTORE, EVAL ...). */
    public boolean needsOneSlot() {
        return traits.cluster() == ClusterRule.ONE_SLOT;
    }

    /** True when cluster mode splits the command per slot (MGET, DEL ...). */
    public boolean isSplit() {
        return traits.cluster() == ClusterRule.SPLIT_CONCAT || traits.cluster() == ClusterRule.SPLIT_SUM
                || traits.cluster() == ClusterRule.SPLIT_ENTRIES;
    }

    /** True when cluster mode sends it to every master (DBSIZE, FLUSHDB ...). */
    public boolean onEveryMaster() {
        return traits.cluster() == ClusterRule.EVERY_MASTER || traits.cluster() == ClusterRule.EVERY_MASTER_SUM;
    }

    /** The same command for a subset of the keys: one slot's share in cluster mode. */
    public Request requestForKeys(List<String> keys) {
        Request request = Request.cmd(traits.splitCommand());
        keys.forEach(request::arg);
        return request;
    }

    /** True when the operation can be one command, so a batch can pipeline it (see {@link #runsSteps}). */
    public boolean isSingleCommand() {
        return execution.builder() != null;
    }

    /** Whether this call runs as several round trips: a runner's always, a single command's for the calls it picks. */
    public boolean runsSteps(Args args) {
        return execution.runsSteps().test(args);
    }

    public Args args(ObjectNode node) {
        return new Args(this, node);
    }

    public Request request(Args args) {
        return execution.builder().apply(args);
    }

    public JsonNode map(Response reply, Args args) {
        return execution.mapper().map(reply, args);
    }

    /** Runs an operation of several round trips (see {@link #runsSteps}). */
    public Future<JsonNode> run(Args args, Target target, ReplyAccount replies) {
        return execution.runner().run(args, target, replies);
    }
}
