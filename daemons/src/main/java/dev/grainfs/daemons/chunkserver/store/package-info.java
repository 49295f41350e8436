/**
 * A chunkserver's local chunk storage: replicas as plain files with a CRC32C sidecar, spread over data dirs.
 *
 * <pre>
 * ChunkStore          the API the network layer calls: index handle -> Replica, placement, locking per call
 *   Replica           one replica: version, length, corrupt mark, open channels + CRCs, read/write lock
 *     ReplicaWriter   write / truncate / pad with exact CRC maintenance
 *     ReplicaReader   verified reads and the scrubber's full check
 *     ChunkMetaFile   the sidecar format (diagram there)
 *     BlockChecksums  one open replica's CRC array
 *   DataDir           one disk: VERSION marker, lock, file layout (diagram there), startup scan, usage
 *   OpenReplicas      LRU bound on replicas holding open files and CRCs
 *   Blocks            64 KiB block arithmetic, CRC32C, zeros, per-thread scratch
 * </pre>
 */
package dev.grainfs.daemons.chunkserver.store;
