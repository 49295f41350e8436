/**
 * The master's durable metadata journal: an operation log of opaque records plus checkpoint files.
 *
 * <pre>
 *  meta dir/
 *    oplog.lock                          held (flock) by the one OpLog open on this directory
 *    log-00000000000000000001.wal        segment: header + frames for txids 1 .. 8191
 *    log-00000000000000008192.wal        segment named by its first txid; the newest is appended to
 *    ckpt-00000000000000004000.ckpt      state as of txid 4000 (previous one kept for fall-back)
 *    ckpt-00000000000000008000.ckpt      newest checkpoint
 *    ckpt-00000000000000009000.tmp       a checkpoint being written; deleted by CheckpointStore.open
 * </pre>
 *
 * <p>Recovery, in order: {@link dev.grainfs.daemons.master.journal.CheckpointStore#latestValid()} (throws if the
 * newest is corrupt), load its body, then {@link dev.grainfs.daemons.master.journal.OpLog#open} with its txid to
 * replay the rest. After writing a checkpoint, {@link dev.grainfs.daemons.master.journal.OpLog#purgeUpTo} the log
 * up to the txid of the oldest checkpoint kept, so that falling back to it still finds every record it needs.
 */
package dev.grainfs.daemons.master.journal;
