package dev.grainfs.daemons.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.grainfs.core.wire.proto.Request;
import java.util.Random;

/**
 * Random but well-formed requests: every field of every message in the schema filled (or not) with
 * hostile values — edge integers (negative as unsigned, huge), deep and odd paths, unknown enum
 * numbers, random bytes — one random oneof body per request.
 */
final class RandomRequests {
    private static final long[] EDGE_LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, (1L << 32) - 1,
            64L << 20, (64L << 20) + 1, 1L << 62, 4096, 65536};
    private static final int[] EDGE_INTS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65536, 1 << 24, 7, 0755,
            01777};
    private final Random r;

    RandomRequests(Random r) {
        this.r = r;
    }

    Request next() {
        Descriptor d = Request.getDescriptor();
        DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
        for (FieldDescriptor f : d.getFields()) {
            if (f.getContainingOneof() == null && r.nextInt(3) != 0) {
                set(b, f, 0);
            }
        }
        var bodies = d.getOneofs().get(0).getFields();
        FieldDescriptor body = bodies.get(r.nextInt(bodies.size()));
        b.setField(body, message(body.getMessageType(), 1));
        try {
            return Request.parseFrom(b.build().toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private DynamicMessage message(Descriptor d, int depth) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
        for (FieldDescriptor f : d.getFields()) {
            if (r.nextInt(4) != 0) {
                set(b, f, depth);
            }
        }
        return b.build();
    }

    private void set(DynamicMessage.Builder b, FieldDescriptor f, int depth) {
        if (f.isRepeated()) {
            int n = r.nextInt(8) == 0 ? 200 : r.nextInt(4);
            for (int i = 0; i < n; i++) {
                Object v = value(f, depth);
                if (v != null) {
                    b.addRepeatedField(f, v);
                }
            }
        } else {
            Object v = value(f, depth);
            if (v != null) {
                b.setField(f, v);
            }
        }
    }

    private Object value(FieldDescriptor f, int depth) {
        switch (f.getJavaType()) {
            case INT:
                return r.nextBoolean() ? EDGE_INTS[r.nextInt(EDGE_INTS.length)] : r.nextInt();
            case LONG:
                return r.nextBoolean() ? EDGE_LONGS[r.nextInt(EDGE_LONGS.length)] : r.nextLong() >>> r.nextInt(64);
            case BOOLEAN:
                return r.nextBoolean();
            case STRING:
                return path();
            case BYTE_STRING:
                byte[] bytes = new byte[r.nextInt(64)];
                r.nextBytes(bytes);
                return ByteString.copyFrom(bytes);
            case ENUM:
                return f.getEnumType().findValueByNumberCreatingIfUnknown(r.nextBoolean() ? r.nextInt(40) : r.nextInt());
            case MESSAGE:
                return depth > 3 ? null : message(f.getMessageType(), depth + 1);
            default:
                return null;
        }
    }

    private String path() {
        switch (r.nextInt(9)) {
            case 0:
                return "";
            case 1:
                return "/" + "d/".repeat(r.nextInt(20_000));
            case 2:
                return "/" + "x".repeat(r.nextInt(5_000));
            case 3:
                return "/../..//./a/../" + r.nextInt(10);
            case 4:
                return "relative/" + r.nextInt(5);
            case 5:
                return "/fz/\u0000nul/\uFFFF/" + r.nextInt(5);
            case 6:
                return "/fz/" + "a/".repeat(r.nextInt(5)) + r.nextInt(20);
            case 7:
                return "127.0.0.1";
            default:
                return "/fz/" + r.nextInt(30);
        }
    }
}
