package dev.grainfs.daemons.security;

import dev.grainfs.core.security.WireSecurity;
import org.slf4j.Logger;

/** The line every daemon logs at start saying which peers it accepts (a WARN when it accepts any). */
public final class SecurityLog {
    private SecurityLog() {
    }

    public static void announce(Logger log, String daemon, WireSecurity security) {
        if (security.key() == null) {
            log.warn("{} runs {}: anyone who reaches its port may read and change data "
                    + "(give --cluster-key FILE; see docs/security.md)", daemon, security.describe());
        } else {
            log.info("{} runs {}", daemon, security.describe());
        }
    }
}
