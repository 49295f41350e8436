package dev.grainfs.core.security;

import com.google.protobuf.ByteString;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Frame;
import dev.grainfs.core.wire.RpcServer;
import dev.grainfs.core.wire.proto.Empty;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatRequest;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/** Test helpers: an echo server (answers every request, returning its payload) and raw-socket probes. */
final class Wire {
    private Wire() {
    }

    static RpcServer echoServer(WireSecurity s) {
        return new RpcServer("echo", call -> call.reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()),
                call.payload().retainedDuplicate()), 1, s);
    }

    static Request stat(String path) {
        return Request.newBuilder().setStat(StatRequest.newBuilder().setPath(path)).build();
    }

    /** A well-formed request frame, as a client without any security would send it. */
    static byte[] plainFrame() {
        byte[] header = stat("/").toByteArray();
        ByteBuffer b = ByteBuffer.allocate(Frame.PREFIX_BYTES + header.length);
        b.putShort(Frame.MAGIC).put(Frame.VERSION).put(Frame.REQUEST).putLong(1).putInt(header.length).putInt(0)
                .put(header);
        return b.array();
    }

    /** Sends {@code bytes}, then returns everything the server sends until it hangs up (or 3 s pass). */
    static byte[] sendAndCollect(HostPort to, byte[] bytes) throws IOException {
        try (Socket s = new Socket(to.host(), to.port())) {
            s.setSoTimeout(3_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (IOException timeoutOrReset) {
                // what came so far is the answer
            }
            return got.toByteArray();
        }
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static io.netty.buffer.ByteBuf payload(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }
}
