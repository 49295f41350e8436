package dev.grainfs.daemons.master.namespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.grainfs.daemons.master.chunk.ChunkInfo;
import dev.grainfs.daemons.master.chunk.ChunkTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The master's compact in-memory structures against plain collections: hash tables, a file's chunks. */
class CompactStructuresTest {
    @Test
    void inodeTableAgreesWithAHashMapUnderRandomPutsAndRemoves() {
        InodeTable table = new InodeTable();
        Map<Long, Inode> model = new HashMap<>();
        Random rnd = new Random(7);
        long nextId = 1;
        List<Long> live = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            if (live.isEmpty() || rnd.nextInt(3) > 0) {
                // mostly sequential ids, as the master hands them out, with some far jumps
                long id = rnd.nextInt(50) == 0 ? rnd.nextLong() & Long.MAX_VALUE : nextId++;
                if (model.containsKey(id)) {
                    continue;
                }
                Inode i = new DirInode(id, new byte[0], 0755, 0, 0, 0);
                table.put(i);
                model.put(id, i);
                live.add(id);
            } else {
                long id = live.remove(rnd.nextInt(live.size()));
                table.remove(model.remove(id));
            }
            if (step % 997 == 0) {
                for (Map.Entry<Long, Inode> e : model.entrySet()) {
                    assertSame(e.getValue(), table.get(e.getKey()));
                }
                assertNull(table.get(nextId + 1_000_000));
            }
        }
        assertEquals(model.size(), table.size());
    }

    @Test
    void chunkTableAgreesWithAHashMapUnderRandomAddsAndRemoves() {
        ChunkTable table = new ChunkTable();
        Map<Long, ChunkInfo> model = new HashMap<>();
        Random rnd = new Random(11);
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            if (model.isEmpty() || rnd.nextInt(3) > 0) {
                long h = next++;
                model.put(h, table.add(h, 1, null, 0));
            } else {
                Long h = model.keySet().iterator().next();
                table.remove(model.remove(h));
            }
            if (step % 991 == 0) {
                model.forEach((h, c) -> assertSame(c, table.get(h)));
            }
        }
        assertEquals(model.size(), table.size());
        int[] seen = {0};
        table.forEach(c -> seen[0]++);
        assertEquals(model.size(), seen[0]);
    }

    @Test
    void aFileHoldsOneChunkDirectlyAndMoreInAnArray() {
        ChunkTable chunks = new ChunkTable();
        FileInode f = new FileInode(5, "f".getBytes(), 0644, 0, 0, 0, 3, 1 << 20);
        assertEquals(0, f.chunkSlots());
        ChunkInfo c0 = chunks.add(1, 1, f, 0);
        f.setChunk(0, c0);
        assertEquals(1, f.chunkSlots());
        assertSame(c0, f.chunk(0));
        assertNull(f.chunk(1));
        ChunkInfo c2 = chunks.add(2, 1, f, 2);
        f.setChunk(2, c2);
        assertArrayEquals(new ChunkInfo[] {c0, null, c2}, f.chunks());
        assertEquals(2, f.chunkCount());
        assertArrayEquals(new ChunkInfo[] {null, c2}, f.dropChunksFrom(1));
        assertArrayEquals(new ChunkInfo[] {c0}, f.chunks());
        assertEquals(1, f.chunkSlots());
        assertArrayEquals(new ChunkInfo[] {c0}, f.dropChunksFrom(0));
        assertEquals(0, f.chunkSlots());
        assertEquals(1 << 20, f.chunkSize());
    }
}
