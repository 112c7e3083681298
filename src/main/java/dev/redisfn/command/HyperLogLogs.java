package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.KEYS;
import static dev.redisfn.command.Params.KEY_OR_KEYS;

import java.util.List;

import io.vertx.redis.client.Command;

/** HyperLogLogs: approximate counts of distinct elements in a few KB per key. */
final class HyperLogLogs {

    static final Param ELEMENTS = Param.optional("elements", ParamType.STRING_ARRAY, "Elements to count (or give element).");
    static final Param ELEMENT = Param.optional("element", ParamType.STRING, "One element to count (or give elements).");
    static final Param DESTINATION = Param.required("destination", ParamType.STRING, "The key to store the union in.");

    private HyperLogLogs() {
    }

    static List<Operation> operations() {
        return new Group("hyperloglog")
                .op("PFADD", WRITE, "Add elements; true when the estimated count changed.", List.of(KEY, ELEMENTS, ELEMENT),
                        a -> Commands.keyAndStrings(Command.PFADD, a.key(), a.stringsOrOne("elements", "element")),
                        Results::bool)
                .op("PFCOUNT", READ, "The estimated number of distinct elements (of the union, for several keys).",
                        KEY_OR_KEYS, a -> Commands.withKeys(Command.PFCOUNT, a.keyList()), Results::integer)
                .oneSlot()
                .op("PFMERGE", WRITE, "Store the union of HyperLogLogs in destination.", List.of(DESTINATION, KEYS),
                        a -> Commands.keyAndStrings(Command.PFMERGE, a.string("destination"), a.keys()), Results::bool)
                .oneSlot()
                .operations();
    }
}
