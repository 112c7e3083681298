package dev.redisfn.observe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code connector.log.*}: how the function writes its log. */
@ConfigMapping(prefix = "connector.log")
public interface LogSettings {

    /** One JSON object per console line (for a platform's log collector) instead of the text format. */
    @WithDefault("false")
    boolean json();
}
