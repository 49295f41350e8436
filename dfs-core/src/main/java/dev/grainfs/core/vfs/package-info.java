/**
 * The POSIX-shaped layer between a FUSE adapter and the client library: path-based calls with a
 * caller identity, an open-file handle table, an attribute cache and the small pieces of POSIX
 * (open flags, access bits, utimens special values) that are not a cluster call.
 *
 * <pre>
 *   kernel --FUSE--> fuse-mount adapter --(Caller, path | fh)--> {@link dev.grainfs.core.vfs.Vfs}
 *                                                                   |  AttrCache   (path -> stat, TTL)
 *                                                                   |  HandleTable (fh -> OpenFile, shared per inode)
 *                                                                   v
 *                                                               GrainClient / GrainFile
 * </pre>
 */
package dev.grainfs.core.vfs;
