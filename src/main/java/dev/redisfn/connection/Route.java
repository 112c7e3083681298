package dev.redisfn.connection;

/**
 * Where one command goes: the hash slot its keys share (cluster mode routes by it; -1 for a command
 * without keys), and whether it only reads (so that a replica may serve it, as the config's
 * {@code readFrom} allows).
 */
public record Route(int slot, boolean read) {

    /** A command without keys that writes, or must run on a master. */
    public static final Route MASTER = new Route(-1, false);
    /** A command without keys that only reads. */
    public static final Route ANY_READ = new Route(-1, true);

    public static Route of(int slot, boolean read) {
        return slot < 0 ? read ? ANY_READ : MASTER : new Route(slot, read);
    }

    /** The same route, kept on the master (a read inside a batch that also writes sees the batch's writes). */
    public Route onMaster() {
        return read ? of(slot, false) : this;
    }
}
