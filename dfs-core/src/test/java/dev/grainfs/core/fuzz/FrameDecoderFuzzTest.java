package dev.grainfs.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.HandshakeHandler;
import dev.grainfs.core.wire.Frame;
import dev.grainfs.core.wire.FrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the frame decoder and the handshake decoder: any split of valid frames decodes
 * to the same frames; garbage and huge lengths end in a DecoderException before any allocation of
 * their size, never another exception, a hang or a frame that was not sent.
 */
class FrameDecoderFuzzTest {
    static final int MAX_PAYLOAD = 1 << 20;

    static byte[] frame(Random r, long id) {
        byte[] header = new byte[r.nextInt(64)];
        byte[] payload = new byte[r.nextInt(8) == 0 ? r.nextInt(70_000) : r.nextInt(32)];
        r.nextBytes(header);
        r.nextBytes(payload);
        ByteBuffer b = ByteBuffer.allocate(Frame.PREFIX_BYTES + header.length + payload.length);
        b.putShort(Frame.MAGIC).put(Frame.VERSION).put(r.nextBoolean() ? Frame.REQUEST : Frame.RESPONSE).putLong(id)
                .putInt(header.length).putInt(payload.length).put(header).put(payload);
        return b.array();
    }

    /** Feeds {@code stream} in pieces cut at {@code cuts}; returns the frames decoded. */
    static List<Frame> decode(byte[] stream, int[] cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_PAYLOAD));
        int from = 0;
        for (int c : cuts) {
            ch.writeInbound(Unpooled.copiedBuffer(stream, from, c - from));
            from = c;
        }
        ch.writeInbound(Unpooled.copiedBuffer(stream, from, stream.length - from));
        List<Frame> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((Frame) o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    static void assertSameFrames(byte[] stream, List<Frame> got, int expected) {
        assertEquals(expected, got.size());
        ByteBuffer b = ByteBuffer.wrap(stream);
        for (Frame f : got) {
            b.position(b.position() + 3);
            assertEquals(b.get(), f.kind());
            assertEquals(b.getLong(), f.requestId());
            int h = b.getInt();
            int p = b.getInt();
            assertEquals(h, f.header().readableBytes());
            assertEquals(p, f.payload().readableBytes());
            byte[] hb = new byte[h];
            b.get(hb);
            assertEquals(Unpooled.wrappedBuffer(hb), f.header());
            byte[] pb = new byte[p];
            b.get(pb);
            assertEquals(Unpooled.wrappedBuffer(pb), f.payload());
            f.release();
        }
    }

    @Test
    void framesSplitAtEveryByteDecodeTheSame() {
        Random r = new Random(FuzzBudget.seed("split-every-byte"));
        byte[] a = frame(new Random(1), 1);
        byte[] b = frame(new Random(2), 2);
        byte[] stream = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
        for (int i = 1; i < Math.min(stream.length, 400); i++) {
            assertSameFrames(stream, decode(stream, new int[] {i}), 2);
        }
        int[] everyByte = new int[Math.min(stream.length - 1, 2_000)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertSameFrames(stream, decode(stream, everyByte), 2);
        assertTrue(r != null);
    }

    @Test
    void randomStreamsOfValidFramesRandomlySplit() {
        Random r = new Random(FuzzBudget.seed("random-splits"));
        long deadline = FuzzBudget.deadlineNs();
        int runs = 0;
        while (System.nanoTime() < deadline) {
            int n = 1 + r.nextInt(6);
            java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                s.writeBytes(frame(r, i));
            }
            byte[] stream = s.toByteArray();
            int[] cuts = r.ints(r.nextInt(20), 0, stream.length + 1).sorted().toArray();
            assertSameFrames(stream, decode(stream, cuts), n);
            runs++;
        }
        System.out.println("random-splits: " + runs + " streams decoded");
    }

    @Test
    void garbageNeverDecodesToAFrameThatWasNotThereNorThrowsAnythingButDecoderException() {
        Random r = new Random(FuzzBudget.seed("garbage"));
        long deadline = FuzzBudget.deadlineNs();
        int runs = 0;
        int rejected = 0;
        while (System.nanoTime() < deadline) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            if (r.nextBoolean() && junk.length >= 4) { // a plausible start, to get past the magic check
                junk[0] = 0x47;
                junk[1] = 0x46;
                junk[2] = Frame.VERSION;
                junk[3] = (byte) (1 + r.nextInt(2));
            }
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_PAYLOAD));
            try {
                for (int off = 0; off < junk.length; ) {
                    int len = 1 + r.nextInt(junk.length - off);
                    ch.writeInbound(Unpooled.copiedBuffer(junk, off, len));
                    off += len;
                }
            } catch (DecoderException expected) {
                rejected++;
            }
            for (Object o; (o = ch.readInbound()) != null; ) {
                Frame f = (Frame) o;
                assertTrue(f.header().readableBytes() <= Frame.MAX_HEADER_BYTES);
                assertTrue(f.payload().readableBytes() <= MAX_PAYLOAD);
                f.release();
            }
            ch.finishAndReleaseAll();
            runs++;
        }
        System.out.println("garbage: " + runs + " inputs, " + rejected + " rejected");
    }

    @Test
    void hugeLengthsAreRefusedFromThePrefixAlone() {
        for (long[] lens : new long[][] {{0xffffffffL, 0}, {0, 0xffffffffL}, {Frame.MAX_HEADER_BYTES + 1L, 0},
                {0, MAX_PAYLOAD + 1L}, {0x7fffffffL, 0x7fffffffL}}) {
            ByteBuf prefix = Unpooled.buffer(Frame.PREFIX_BYTES);
            prefix.writeShort(Frame.MAGIC).writeByte(Frame.VERSION).writeByte(Frame.REQUEST).writeLong(1)
                    .writeInt((int) lens[0]).writeInt((int) lens[1]);
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_PAYLOAD));
            assertThrows(TooLongFrameException.class, () -> ch.writeInbound(prefix));
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void handshakeDecoderSurvivesGarbage() {
        Random r = new Random(FuzzBudget.seed("handshake-garbage"));
        long deadline = System.nanoTime() + Math.min(FuzzBudget.deadlineNs() - System.nanoTime(), 10_000_000_000L);
        ClusterKey key = ClusterKey.random();
        int runs = 0;
        while (System.nanoTime() < deadline) {
            boolean server = r.nextBoolean();
            EmbeddedChannel ch = new EmbeddedChannel(server ? HandshakeHandler.server(key, "fuzz", 10_000)
                    : HandshakeHandler.client(key, "peer:1", 10_000));
            byte[] junk = new byte[r.nextInt(120)];
            r.nextBytes(junk);
            if (r.nextBoolean() && junk.length >= 4) {
                System.arraycopy("GFHS".getBytes(), 0, junk, 0, 4);
            }
            ch.writeInbound(Unpooled.wrappedBuffer(junk));
            // garbage never completes a handshake, and nothing reaches the next handler
            assertTrue(ch.readInbound() == null);
            ch.finishAndReleaseAll();
            runs++;
        }
        System.out.println("handshake-garbage: " + runs + " inputs");
    }
}
