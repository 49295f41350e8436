package dev.grainfs.daemons.cluster;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;

/** Self-describing test records: [magic u32][writer u32][seq u32][len u32][crc u32][payload]. */
final class Records {
    static final int MAGIC = 0x52454344;

    static byte[] encode(int writer, int seq, int payloadLen) {
        ByteBuffer b = ByteBuffer.allocate(20 + payloadLen);
        b.putInt(MAGIC).putInt(writer).putInt(seq).putInt(payloadLen);
        byte[] payload = new byte[payloadLen];
        for (int i = 0; i < payloadLen; i++) {
            payload[i] = (byte) (writer * 31 + seq + i);
        }
        CRC32C c = new CRC32C();
        c.update(payload);
        b.putInt((int) c.getValue()).put(payload);
        return b.array();
    }

    /** Every whole, valid record in the bytes, as writer << 32 | seq (padding and junk skipped). */
    static Set<Long> scan(byte[] all) {
        Set<Long> out = new HashSet<>();
        ByteBuffer b = ByteBuffer.wrap(all);
        int i = 0;
        while (i + 20 <= all.length) {
            if (b.getInt(i) != MAGIC) {
                i++;
                continue;
            }
            int writer = b.getInt(i + 4);
            int seq = b.getInt(i + 8);
            int len = b.getInt(i + 12);
            if (len < 0 || i + 20 + len > all.length) {
                i++;
                continue;
            }
            CRC32C c = new CRC32C();
            c.update(all, i + 20, len);
            if ((int) c.getValue() != b.getInt(i + 16)) {
                i++;
                continue;
            }
            out.add(((long) writer << 32) | seq);
            i += 20 + len;
        }
        return out;
    }
}
