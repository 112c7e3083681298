package dev.redisfn.result;

/** What {@code execute} answers: one operation's result or a batch's. */
public interface Reply {
}
