package dev.grainfs.dist;

import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.ConnectionLimits;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * The security flags every daemon takes (CLI.md, Security): the cluster key and TLS files of
 * {@link ClientSecurityOptions}, and the limits on what one client may hold of the daemon.
 */
final class SecurityOptions extends ClientSecurityOptions {
    @Option(names = "--max-connections-per-client", paramLabel = "N",
            description = "connections one IP address may hold open to this daemon; default ${DEFAULT-VALUE}")
    int maxPerClient = ConnectionLimits.DEFAULT_MAX_PER_PEER;
    @Option(names = "--max-connections", paramLabel = "N",
            description = "connections this daemon accepts in total; default ${DEFAULT-VALUE}")
    int maxConnections = ConnectionLimits.DEFAULT_MAX_TOTAL;

    /** A daemon's settings: key, TLS and the limits on what one client may hold. */
    WireSecurity resolve() throws IOException {
        return resolve(clusterKey, tlsCert, tlsKey, tlsCa).withLimits(ConnectionLimits.defaults()
                .withMaxPerPeer(maxPerClient).withMaxTotal(maxConnections));
    }
}
