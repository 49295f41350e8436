package dev.grainfs.daemons.master;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic failover: the master and its shadow both join a Curator {@link LeaderLatch} under
 * {@code <path>/leader} in a ZooKeeper ensemble, as HDFS's ZKFC does. The master is active only while
 * it holds the latch: when its session is suspended or lost the latch calls {@link #onLoss} and the
 * master refuses every change for good (it is the shadow's turn). The shadow joins once it follows the
 * master, so it is second in line, and promotes itself when the latch comes to it.
 *
 * <p>The active master also writes its epoch to {@code <path>/epoch}: a master that wins the latch but
 * finds a higher epoch there (an old master restarted after a failover) must not become active.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    /** ZooKeeper session timeout: a dead master's leadership ends this long after its last contact. */
    public static final int DEFAULT_SESSION_MS = 4_000;
    public static final String DEFAULT_PATH = "/grainfs";

    private final CuratorFramework client;
    private final LeaderLatch latch;
    private final String path;
    private final String id;
    private volatile Runnable onGain = () -> { };
    private volatile Runnable onLoss = () -> { };

    /**
     * @param connect ZooKeeper ensemble as HOST:PORT[,HOST:PORT...]
     * @param path    the znode under which this cluster elects its master (several clusters may share an ensemble)
     * @param id      this participant, as logged (its RPC address)
     */
    public LeaderElection(String connect, String path, String id, int sessionMs) {
        if (connect == null || connect.isBlank()) {
            throw new IllegalArgumentException("no ZooKeeper address given");
        }
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("ZooKeeper path must look like /grainfs, got '" + path + "'");
        }
        this.path = path;
        this.id = id;
        this.client = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(Math.min(sessionMs, 3_000)).retryPolicy(new ExponentialBackoffRetry(200, 5))
                .build();
        this.latch = new LeaderLatch(client, path + "/leader", id);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                log.warn("ZooKeeper: {} now holds the GrainFS leadership at {}", id, path);
                onGain.run();
            }

            @Override
            public void notLeader() {
                log.warn("ZooKeeper: {} lost the GrainFS leadership at {} (session suspended or lost)", id, path);
                onLoss.run();
            }
        });
    }

    public LeaderElection(String connect, String path, String id) {
        this(connect, path, id, DEFAULT_SESSION_MS);
    }

    /** Runs {@code r} (on Curator's thread) each time this participant becomes the leader. */
    public LeaderElection onGain(Runnable r) {
        onGain = r;
        return this;
    }

    /** Runs {@code r} (on Curator's thread) when this participant stops being the leader. */
    public LeaderElection onLoss(Runnable r) {
        onLoss = r;
        return this;
    }

    /** Connects and joins the election; throws if the ensemble does not answer within {@code connectMs}. */
    public void start(long connectMs) throws java.io.IOException {
        client.start();
        try {
            if (!client.blockUntilConnected((int) connectMs, TimeUnit.MILLISECONDS)) {
                client.close();
                throw new java.io.IOException("ZooKeeper at " + client.getZookeeperClient().getCurrentConnectionString()
                        + " did not answer within " + connectMs + " ms");
            }
            latch.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted while connecting to ZooKeeper");
        } catch (java.io.IOException e) {
            throw e;
        } catch (Exception e) {
            throw new java.io.IOException("cannot join the election at " + path + ": " + e.getMessage());
        }
    }

    /** Blocks until this participant leads, logging every {@code logEveryMs} who it waits for. */
    public void awaitLeadership(long logEveryMs) throws InterruptedException {
        while (!latch.await(logEveryMs, TimeUnit.MILLISECONDS)) {
            String leader;
            try {
                leader = latch.getLeader().getId();
            } catch (Exception e) {
                leader = "?";
            }
            log.warn("{} waits for the GrainFS leadership at {}: held by {} (a master of a newer epoch? then "
                    + "restart this machine as its shadow)", id, path, leader);
        }
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    /** The epoch the last active master recorded (0: none yet). */
    public long recordedEpoch() throws java.io.IOException {
        try {
            byte[] b = client.getData().forPath(path + "/epoch");
            return Long.parseLong(new String(b, StandardCharsets.UTF_8).trim());
        } catch (KeeperException.NoNodeException e) {
            return 0;
        } catch (Exception e) {
            throw new java.io.IOException("cannot read " + path + "/epoch from ZooKeeper: " + e.getMessage());
        }
    }

    /** Records the active master's epoch (call only while leading). */
    public void recordEpoch(long epoch) throws java.io.IOException {
        byte[] b = Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
        try {
            client.create().orSetData().creatingParentsIfNeeded().forPath(path + "/epoch", b);
        } catch (Exception e) {
            throw new java.io.IOException("cannot write " + path + "/epoch to ZooKeeper: " + e.getMessage());
        }
    }

    /** The ZooKeeper client (tests: expire its session). */
    public CuratorFramework curator() {
        return client;
    }

    @Override
    public void close() {
        onLoss = () -> { }; // leaving on purpose is not a loss to react to
        try {
            latch.close();
        } catch (Exception e) {
            log.debug("closing the leader latch: {}", e.getMessage());
        }
        client.close();
    }
}
