package dev.grainfs.daemons.testing;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.daemons.chunkserver.ChunkServer;
import dev.grainfs.daemons.chunkserver.ChunkServerConfig;
import dev.grainfs.daemons.chunkserver.RepairConfig;
import dev.grainfs.daemons.master.HealingConfig;
import dev.grainfs.daemons.master.Master;
import dev.grainfs.daemons.master.MasterConfig;
import dev.grainfs.daemons.master.SafeModeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A master and N chunkservers in this JVM on loopback, all on port 0, with their data under one
 * directory: start, stop or restart any of them, and make clients. The test fixture of GrainFS.
 */
public final class MiniCluster implements AutoCloseable {
    private final Path base;
    private final MasterConfig masterConfig;
    private final UnaryOperator<ChunkServerConfig> csTweak;
    private HealingConfig healing = HealingConfig.defaults();
    private RepairConfig repair = RepairConfig.defaults();
    private final boolean http;
    private HostPort masterHttp;
    private final List<HostPort> serverHttp = new ArrayList<>();
    private final WireSecurity security;
    private dev.grainfs.daemons.master.Exports exports = dev.grainfs.daemons.master.Exports.OPEN;
    private Master master;
    private HostPort masterAddress;
    private final List<ChunkServer> servers = new ArrayList<>();
    private final List<GrainClient> clients = new ArrayList<>();

    private MiniCluster(Path base, MasterConfig masterConfig, UnaryOperator<ChunkServerConfig> csTweak, boolean http,
                        WireSecurity security) {
        this.http = http;
        this.security = security;
        this.base = base;
        this.masterConfig = masterConfig;
        this.csTweak = csTweak;
    }

    public static Builder builder(Path base) {
        return new Builder(base);
    }

    /** Configures a cluster before it starts. */
    public static final class Builder {
        private final Path base;
        private int chunkservers = 3;
        private UnaryOperator<MasterConfig> masterTweak = c -> c;
        private UnaryOperator<ChunkServerConfig> csTweak = c -> c;
        private UnaryOperator<HealingConfig> healingTweak = c -> c;
        private UnaryOperator<RepairConfig> repairTweak = c -> c;
        private boolean http;
        private WireSecurity security = WireSecurity.NONE;
        private dev.grainfs.daemons.master.Exports exports = dev.grainfs.daemons.master.Exports.OPEN;

        Builder(Path base) {
            this.base = base;
        }

        public Builder chunkservers(int n) {
            this.chunkservers = n;
            return this;
        }

        public Builder master(UnaryOperator<MasterConfig> t) {
            this.masterTweak = t;
            return this;
        }

        /** Cluster key and TLS for every daemon and client of the cluster (default: none). */
        public Builder security(WireSecurity s) {
            this.security = s;
            return this;
        }

        /** Export rules of the master (root squashing, superuser group). */
        public Builder exports(dev.grainfs.daemons.master.Exports e) {
            this.exports = e;
            return this;
        }

        public Builder chunkserver(UnaryOperator<ChunkServerConfig> t) {
            this.csTweak = t;
            return this;
        }

        /** The master's self-healing settings (re-replication, trash). */
        public Builder healing(UnaryOperator<HealingConfig> t) {
            this.healingTweak = t;
            return this;
        }

        /** The chunkservers' self-healing settings (copies, scrubber). */
        public Builder repair(UnaryOperator<RepairConfig> t) {
            this.repairTweak = t;
            return this;
        }

        /** Every daemon also serves its status page and /metrics on a free HTTP port. */
        public Builder http(boolean on) {
            this.http = on;
            return this;
        }

        public MiniCluster start() throws IOException {
            MasterConfig mc = masterTweak.apply(MasterConfig.defaults(base.resolve("master")).withPort(0)
                    .withHeartbeatMs(500).withDeadAfterMs(5_000)
                    .withSafeMode(new SafeModeConfig(SafeModeConfig.DEFAULT_THRESHOLD, 1, 300)));
            MiniCluster c = new MiniCluster(base, mc, csTweak, http, security);
            c.healing = healingTweak.apply(HealingConfig.defaults());
            c.repair = repairTweak.apply(RepairConfig.defaults());
            c.exports = exports;
            c.startMaster();
            for (int i = 0; i < chunkservers; i++) {
                c.addChunkServer();
            }
            c.waitForServers(chunkservers);
            return c;
        }
    }

    public void startMaster() throws IOException {
        MasterConfig mc = masterAddress == null ? masterConfig : masterConfig.withPort(masterAddress.port());
        master = Master.open(mc, healing, security, exports);
        masterAddress = master.start();
        if (http) {
            masterHttp = master.startHttp(masterHttp == null ? 0 : masterHttp.port());
        }
    }

    /** The master's status page address (with {@link Builder#http}), or null. */
    public HostPort masterHttp() {
        return masterHttp;
    }

    /** Chunkserver {@code i}'s status page address (with {@link Builder#http}), or null. */
    public HostPort chunkServerHttp(int i) {
        return i < serverHttp.size() ? serverHttp.get(i) : null;
    }

    public void stopMaster() {
        master.close();
        master = null;
    }

    public Master master() {
        return master;
    }

    public HostPort masterAddress() {
        return masterAddress;
    }

    /** Starts one more chunkserver with its own data dir; returns its index. */
    public int addChunkServer() throws IOException {
        int i = servers.size();
        servers.add(null);
        startChunkServer(i);
        return i;
    }

    public void startChunkServer(int i) throws IOException {
        Path dir = dataDir(i);
        Files.createDirectories(dir);
        ChunkServerConfig cfg = csTweak.apply(ChunkServerConfig.of(masterAddress, dir).withHeartbeatMs(500));
        ChunkServer cs = new ChunkServer(cfg, repair, security);
        cs.start();
        servers.set(i, cs);
        if (http) {
            while (serverHttp.size() <= i) {
                serverHttp.add(null);
            }
            serverHttp.set(i, cs.startHttp(0));
        }
    }

    public void stopChunkServer(int i) {
        servers.get(i).close();
        servers.set(i, null);
    }

    public ChunkServer chunkServer(int i) {
        return servers.get(i);
    }

    public int chunkServerCount() {
        return servers.size();
    }

    public Path dataDir(int i) {
        return base.resolve("cs" + i);
    }

    /** Waits until {@code n} chunkservers are registered and live at the master. */
    public void waitForServers(int n) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (master.liveServers() >= n) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("only " + master.liveServers() + " of " + n + " chunkservers registered");
    }

    public GrainClient client() {
        return client(c -> c);
    }

    public GrainClient client(UnaryOperator<ClientConfig> t) {
        return client(t, security);
    }

    /** A client with its own security settings (another key, none, ...). */
    public GrainClient client(UnaryOperator<ClientConfig> t, WireSecurity s) {
        GrainClient c = GrainClient.connect(t.apply(ClientConfig.of(masterAddress).withRetryMs(5_000)), s);
        clients.add(c);
        return c;
    }

    public WireSecurity security() {
        return security;
    }

    @Override
    public void close() {
        for (GrainClient c : clients) {
            c.close();
        }
        for (ChunkServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
        if (master != null) {
            master.close();
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }
}
