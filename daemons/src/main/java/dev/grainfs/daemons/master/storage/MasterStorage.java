package dev.grainfs.daemons.master.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.grainfs.core.GrainException;
import dev.grainfs.daemons.master.Journal;
import dev.grainfs.daemons.master.journal.Checkpoint;
import dev.grainfs.daemons.master.journal.CheckpointStore;
import dev.grainfs.daemons.master.journal.OpLog;
import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.op.MasterOp;
import dev.grainfs.daemons.master.state.MasterState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's meta dir: the newest checkpoint plus the operation log after it. {@link #recover}
 * rebuilds the state at start; as a {@link Journal} it makes each applied op durable; and
 * {@link #checkpoint} writes a new checkpoint and drops the log it covers.
 *
 * <pre>
 * meta-dir/
 *   ckpt-&lt;txid&gt;.ckpt      state after op txid (the newest two are kept)
 *   log-&lt;first txid&gt;.wal  operation log segments (MasterOp protobuf per record)
 *   oplog.lock            held while a master runs
 * </pre>
 */
public final class MasterStorage implements Journal {
    private static final Logger log = LoggerFactory.getLogger(MasterStorage.class);

    private final OpLog oplog;
    private final CheckpointStore checkpoints;
    private volatile long checkpointTxid;

    private MasterStorage(OpLog oplog, CheckpointStore checkpoints, long checkpointTxid) {
        this.oplog = oplog;
        this.checkpoints = checkpoints;
        this.checkpointTxid = checkpointTxid;
    }

    /**
     * The recovered state and the journal to continue with; how many log records were replayed,
     * and the time taken in all and by the checkpoint load alone.
     */
    public record Recovered(MasterState state, MasterStorage storage, long replayed, long millis,
                            long checkpointMillis) {
    }

    public static Recovered recover(Path metaDir, OpLogOptions options) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(metaDir);
        CheckpointStore store = CheckpointStore.open(metaDir);
        Optional<Checkpoint> ckpt = store.latestValid();
        MasterState state;
        long after = 0;
        if (ckpt.isPresent()) {
            try (InputStream body = ckpt.get().openBody()) {
                ImageInput in = new ImageInput(body, 1 << 20);
                state = MasterState.load(in);
                if (!in.atEnd()) {
                    state.loadDecommissioned(in);
                }
                if (!in.atEnd()) {
                    throw new IOException(ckpt.get().file() + ": trailing bytes after the namespace image");
                }
            }
            after = ckpt.get().txid();
        } else {
            state = new MasterState(nowNs());
        }
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        long[] replayed = {0};
        final MasterState s = state;
        OpLog oplog = OpLog.open(metaDir, options, after, (txid, record) -> {
            MasterOp op;
            try {
                op = MasterOp.parseFrom(record);
            } catch (InvalidProtocolBufferException e) {
                throw new IOException("operation log record " + txid + " does not parse: " + e.getMessage(), e);
            }
            try {
                s.apply(op);
            } catch (GrainException e) {
                throw new IOException("operation log record " + txid + " (" + op.getOpCase()
                        + ") does not apply to the recovered state: " + e.getMessage(), e);
            }
            replayed[0]++;
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.info("recovered {} inodes, {} chunks in {} ms: {} in {} ms + {} log records in {} ms",
                s.tree().inodeCount(), s.chunks().size(), ms,
                ckpt.map(c -> c.file().getFileName().toString()).orElse("no checkpoint"), loadMs, replayed[0],
                ms - loadMs);
        return new Recovered(state, new MasterStorage(oplog, store, after), replayed[0], ms, loadMs);
    }

    /**
     * Replaces the state in a meta dir no master or shadow holds open with a snapshot taken at
     * {@code txid} (a shadow master that fell too far behind): every checkpoint and log segment there
     * is removed first, since they may not lead to this state, then the snapshot is written as the
     * only checkpoint. A crash in between leaves an empty meta dir, and the shadow fetches again.
     */
    public static void install(Path metaDir, long txid, byte[] image, int length) throws IOException {
        Files.createDirectories(metaDir);
        try (var files = Files.list(metaDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.matches("(ckpt-\\d{20}\\.ckpt|log-\\d{20}\\.wal)")) {
                    Files.delete(f);
                }
            }
        }
        CheckpointStore.open(metaDir).write(txid, out -> out.write(image, 0, length));
        log.info("installed the master's snapshot at txid {} ({} bytes) in {}", txid, length, metaDir);
    }

    @Override
    public long append(MasterOp op) throws IOException {
        return oplog.append(op.toByteArray());
    }

    @Override
    public void sync(long txid) throws IOException {
        oplog.sync(txid);
    }

    @Override
    public long lastTxid() {
        return oplog.lastTxid();
    }

    @Override
    public long durableTxid() {
        return oplog.durableTxid();
    }

    public long checkpointTxid() {
        return checkpointTxid;
    }

    public long recordsSinceCheckpoint() {
        return oplog.lastTxid() - checkpointTxid;
    }

    /** A checkpoint is due: {@code maxRecords} logged since the last one, or any after {@code maxMs}. */
    public boolean checkpointDue(long maxRecords, long maxMs, long lastCheckpointMs) {
        long n = recordsSinceCheckpoint();
        return n >= maxRecords || (n > 0 && System.currentTimeMillis() - lastCheckpointMs >= maxMs);
    }

    /**
     * Writes a checkpoint. {@code snapshot} runs under the master's read lock and serializes the
     * state in memory (short), so mutations pause only for that; the disk write happens after.
     */
    public synchronized long checkpoint(Supplier<Snapshot> snapshot) throws IOException {
        Snapshot snap = snapshot.get();
        oplog.sync(snap.txid());
        checkpoints.write(snap.txid(), out -> out.write(snap.bytes(), 0, snap.length()));
        checkpointTxid = snap.txid();
        List<Long> kept = checkpoints.txids();
        long oldest = kept.isEmpty() ? snap.txid() : kept.get(0);
        int purged = oplog.purgeUpTo(oldest);
        log.info("checkpoint at txid {} ({} bytes); {} log segments dropped", snap.txid(), snap.length(), purged);
        return snap.txid();
    }

    /** The serialized state as of op {@code txid}. */
    public record Snapshot(long txid, byte[] bytes, int length) {
        public static Snapshot of(long txid, MasterState state) throws IOException {
            var buf = new ByteArrayOutputStream(1 << 20) {
                Snapshot snap(long t) {
                    return new Snapshot(t, this.buf, this.count); // no copy of a possibly large image
                }
            };
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(buf, 1 << 16));
            state.save(out);
            out.flush();
            return buf.snap(txid);
        }
    }

    @Override
    public void close() throws IOException {
        oplog.close();
    }

    private static long nowNs() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
