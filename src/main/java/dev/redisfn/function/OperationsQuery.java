package dev.redisfn.function;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The optional filter of {@code GET /operations?group=hash}. */
@RegisterForReflection
public class OperationsQuery {

    private String group;

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }
}
