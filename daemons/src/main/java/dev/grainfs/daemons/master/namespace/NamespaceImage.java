package dev.grainfs.daemons.master.namespace;

import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.chunk.ChunkTable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the namespace and file -> chunk map into a checkpoint body and reads it back.
 *
 * <pre>
 * body := count:u64  inode*            (depth first from the root, children in name order)
 * inode := type:u8 id:u64 parent:u64 nameLen:u16 name mode:u16 uid:u32 gid:u32 mtime:i64 ctime:i64 atime:i64
 *          [file:    size:u64 replication:u16 chunkSize:u64 chunks:u32 (index:u64 handle:u64 version:u64)*]
 *          [symlink: targetLen:u16 target]
 * </pre>
 * Replica locations are not written: they come back from chunkserver reports.
 */
public final class NamespaceImage {
    private static final byte DIR = 1;
    private static final byte FILE = 2;
    private static final byte LINK = 3;

    private NamespaceImage() {
    }

    public static void write(NamespaceTree tree, DataOutput out) throws IOException {
        out.writeLong(tree.inodeCount());
        Deque<Inode> stack = new ArrayDeque<>();
        stack.push(tree.root());
        while (!stack.isEmpty()) {
            Inode i = stack.pop();
            writeInode(i, out);
            if (i instanceof DirInode d) {
                // pushed last to first, so children come out in name order and a load appends each at the end
                Inode[] children = d.list(null, Integer.MAX_VALUE);
                for (int k = children.length - 1; k >= 0; k--) {
                    stack.push(children[k]);
                }
            }
        }
    }

    private static void writeInode(Inode i, DataOutput out) throws IOException {
        out.writeByte(i instanceof DirInode ? DIR : i instanceof FileInode ? FILE : LINK);
        out.writeLong(i.id);
        out.writeLong(i.parent == null ? 0 : i.parent.id);
        out.writeShort(i.name.length);
        out.write(i.name);
        out.writeShort(i.mode);
        out.writeInt(i.uid);
        out.writeInt(i.gid);
        out.writeLong(i.mtimeNs);
        out.writeLong(i.ctimeNs);
        out.writeLong(i.atimeNs);
        if (i instanceof FileInode f) {
            out.writeLong(f.size());
            out.writeShort(f.replication());
            out.writeLong(f.chunkSize());
            out.writeInt((int) f.chunkCount());
            ChunkInfo[] cs = f.chunks();
            for (int k = 0; k < cs.length; k++) {
                if (cs[k] != null) {
                    out.writeLong(k);
                    out.writeLong(cs[k].handle());
                    out.writeLong(cs[k].version());
                }
            }
        } else if (i instanceof SymlinkInode s) {
            byte[] t = s.target().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeShort(t.length);
            out.write(t);
        }
    }

    /** Rebuilds {@code tree} (which must be fresh) and {@code chunks} from a checkpoint body. */
    public static void read(DataInput in, NamespaceTree tree, ChunkTable chunks) throws IOException {
        long count = in.readLong();
        tree.reserve(count);
        for (long n = 0; n < count; n++) {
            byte type = in.readByte();
            long id = in.readLong();
            long parentId = in.readLong();
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            int mode = in.readUnsignedShort();
            int uid = in.readInt();
            int gid = in.readInt();
            long mtime = in.readLong();
            long ctime = in.readLong();
            long atime = in.readLong();
            Inode i;
            if (type == DIR) {
                i = id == NamespaceTree.ROOT_ID ? tree.root() : new DirInode(id, name, mode, uid, gid, mtime);
            } else if (type == FILE) {
                long size = in.readLong();
                int repl = in.readUnsignedShort();
                long chunkSize = in.readLong();
                FileInode f = new FileInode(id, name, mode, uid, gid, mtime, repl, chunkSize);
                f.setSize(size);
                int nChunks = in.readInt();
                for (int k = 0; k < nChunks; k++) {
                    long index = in.readLong();
                    long handle = in.readLong();
                    long version = in.readLong();
                    f.setChunk(index, chunks.add(handle, version, f, index));
                }
                i = f;
            } else if (type == LINK) {
                byte[] t = new byte[in.readUnsignedShort()];
                in.readFully(t);
                i = new SymlinkInode(id, name, uid, gid, mtime, new String(t, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                throw new IOException("checkpoint: unknown inode type " + type + " at inode #" + n);
            }
            i.mode = (short) (mode & 07777);
            i.mtimeNs = mtime;
            i.ctimeNs = ctime;
            i.atimeNs = atime;
            if (i != tree.root()) {
                tree.restore(parentId, i);
            }
        }
    }
}
