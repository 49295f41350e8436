package dev.grainfs.daemons.master.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.daemons.master.Master;
import dev.grainfs.daemons.master.MasterConfig;
import dev.grainfs.daemons.master.journal.JournalCorruptException;
import dev.grainfs.daemons.master.journal.OpLogOptions;
import dev.grainfs.daemons.master.op.CreateOp;
import dev.grainfs.daemons.master.op.MasterOp;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master meta dir after a crash and after disk damage: a log cut anywhere in its last record
 * recovers without that record; a flipped byte in a log or checkpoint stops the master, naming the
 * file and offset; moving a bad checkpoint aside recovers everything from the previous one + logs.
 */
class MasterRecoveryTest {
    @TempDir
    Path tmp;

    @Test
    void logCutAtEveryByteOfItsLastRecordRecoversWithoutIt() throws Exception {
        Path meta = tmp.resolve("meta");
        byte[] before;
        byte[] after;
        long lastTxid;
        long start;
        long end;
        try (MetaDirFixture f = new MetaDirFixture(meta, OpLogOptions.defaults())) {
            f.mkdir("/d");
            f.checkpoint(); // the root's times then come from the checkpoint, so images compare exactly
            f.history(0, 3);
            before = f.image();
            Path seg = MetaDirFixture.segments(meta).get(0);
            start = Files.size(seg);
            lastTxid = f.apply(MasterOp.newBuilder().setCreate(CreateOp.newBuilder().setPath("/d/last")
                    .setInode(f.state.nextInodeId()).setMode(0644).setReplication(3).setChunkSize(1 << 20)));
            end = Files.size(seg);
            after = f.image();
        }
        assertTrue(end - start > 20, "the last record is " + (end - start) + " bytes");
        for (long cut = start; cut <= end; cut++) {
            Path copy = tmp.resolve("cut-" + cut);
            MetaDirFixture.copy(meta, copy);
            try (FileChannel ch = FileChannel.open(MetaDirFixture.segments(copy).get(0), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            MasterStorage.Recovered r = MasterStorage.recover(copy, OpLogOptions.defaults());
            try (MasterStorage s = r.storage()) {
                boolean whole = cut == end;
                assertArrayEquals(whole ? after : before, MetaDirFixture.image(r.state()), "cut at " + cut);
                assertEquals(whole ? lastTxid : lastTxid - 1, s.lastTxid(), "cut at " + cut);
            }
            // the log goes on cleanly from there: append, recover again
            try (MetaDirFixture again = new MetaDirFixture(copy, OpLogOptions.defaults())) {
                again.mkdir("/after-cut");
            }
            try (MetaDirFixture again = new MetaDirFixture(copy, OpLogOptions.defaults())) {
                assertTrue(again.state.tree().resolve("/after-cut", false).isDir());
            }
        }
    }

    @Test
    void flippedByteInTheMiddleOfTheLogRefusesToStart() throws Exception {
        Path meta = tmp.resolve("meta");
        try (MetaDirFixture f = new MetaDirFixture(meta, OpLogOptions.defaults())) {
            f.history(0, 6);
        }
        Path seg = MetaDirFixture.segments(meta).get(0);
        long middle = Files.size(seg) / 2;
        MetaDirFixture.flipByte(seg, middle);
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> Master.open(MasterConfig.defaults(meta).withPort(0)));
        assertEquals(seg, e.file());
        assertTrue(Math.abs(e.offset() - middle) < 200, "offset " + e.offset() + " near " + middle);
        assertTrue(e.getMessage().contains(seg.toString()) && e.getMessage().contains("offset " + e.offset()),
                e.getMessage());
        // it did not cut the log either: still refused the second time
        assertThrows(JournalCorruptException.class, () -> Master.open(MasterConfig.defaults(meta).withPort(0)));
    }

    @Test
    void flippedByteInACheckpointRefusesToStartAndThePreviousOneRecovers() throws Exception {
        Path meta = tmp.resolve("meta");
        byte[] expected;
        OpLogOptions small = OpLogOptions.defaults().withSegmentBytes(4096); // several segments, some purged
        try (MetaDirFixture f = new MetaDirFixture(meta, small)) {
            f.history(0, 5);
            f.checkpoint();
            f.history(5, 5);
            f.checkpoint();
            f.history(10, 5);
            f.checkpoint();
            f.history(15, 5);
            expected = f.image();
        }
        List<Path> ckpts = MetaDirFixture.checkpoints(meta);
        assertEquals(2, ckpts.size(), "the newest two checkpoints are kept");
        Path newest = ckpts.get(1);
        MetaDirFixture.flipByte(newest, Files.size(newest) / 2);
        JournalCorruptException e = assertThrows(JournalCorruptException.class,
                () -> Master.open(MasterConfig.defaults(meta).withPort(0)));
        assertEquals(newest, e.file());
        assertTrue(e.getMessage().contains(newest.toString()) && e.getMessage().contains("offset"), e.getMessage());

        // the documented recovery: move the bad checkpoint aside; the previous one + the logs give it all back
        Files.move(newest, meta.resolve(newest.getFileName() + ".bad"));
        MasterStorage.Recovered r = MasterStorage.recover(meta, OpLogOptions.defaults());
        try (MasterStorage s = r.storage()) {
            assertArrayEquals(expected, MetaDirFixture.image(r.state()));
            assertTrue(r.replayed() > 0);
        }
    }
}
