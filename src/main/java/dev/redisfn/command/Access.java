package dev.redisfn.command;

/** Whether an operation only reads, or changes data: a read-only deployment allows only READ. */
public enum Access {
    READ,
    WRITE
}
