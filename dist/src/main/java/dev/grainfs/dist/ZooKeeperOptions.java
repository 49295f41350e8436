package dev.grainfs.dist;

import dev.grainfs.daemons.master.LeaderElection;
import picocli.CommandLine.Option;

/**
 * The automatic-failover flags of `grainfs master` and `grainfs shadow` (docs/operations.md,
 * "Failover"): without --zookeeper there is no election and failover stays manual.
 */
final class ZooKeeperOptions {
    @Option(names = "--zookeeper", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "ZooKeeper ensemble for automatic failover (master and shadow elect the active master); "
                    + "default: none (failover by `grainfs failover`)")
    String zookeeper;
    @Option(names = "--zookeeper-path", paramLabel = "ZNODE",
            description = "znode under which this cluster elects its master; default ${DEFAULT-VALUE}")
    String zookeeperPath = LeaderElection.DEFAULT_PATH;
    @Option(names = "--zookeeper-session-timeout", paramLabel = "DURATION",
            description = "ZooKeeper session timeout: a master silent this long loses its leadership and the shadow "
                    + "takes over; shorter fails over sooner, but a longer GC pause or network hiccup then causes a "
                    + "failover; default ${DEFAULT-VALUE}")
    String sessionTimeout = "4s";

    /** The election to join, or null without --zookeeper; throws IllegalArgumentException on bad flags. */
    LeaderElection election(String id) {
        if (zookeeper == null) {
            return null;
        }
        for (String hp : zookeeper.split(",")) {
            dev.grainfs.core.id.HostPort.parse(hp.trim()); // one clear error for a typo, before connecting
        }
        long sessionMs = dev.grainfs.shell.Format.parseDurationMs(sessionTimeout);
        if (sessionMs < 1_000 || sessionMs > 60_000) {
            throw new IllegalArgumentException("--zookeeper-session-timeout must be between 1s and 60s, got "
                    + sessionTimeout);
        }
        return new LeaderElection(zookeeper, zookeeperPath, id, (int) sessionMs);
    }
}
