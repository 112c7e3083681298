package dev.redisfn.response;

/** What {@code execute} answers: one operation's result or a batch's. */
public interface Reply {
}
