package dev.grainfs.core.wire;

import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.ReadChunkRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.WriteChunkRequest;
import dev.grainfs.core.wire.proto.Empty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** Raw RPC throughput of 1 MiB payloads, both directions: isolates the wire layer from storage. */
public final class RpcBench {
    public static void main(String[] args) throws Exception {
        int mib = 2048;
        int window = Integer.getInteger("window", 16);
        ByteBuf block = Unpooled.directBuffer(1 << 20).writeZero(1 << 20);
        try (RpcServer server = new RpcServer("bench", call -> {
            if (call.request().hasReadChunk()) {
                call.reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()), block.retainedDuplicate());
            } else {
                call.reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()));
            }
        }, 2); RpcClient client = new RpcClient("bench", 2)) {
            HostPort a = server.start("127.0.0.1", 0);
            for (int round = 0; round < 3; round++) {
                Semaphore s = new Semaphore(window);
                long t0 = System.nanoTime();
                for (int i = 0; i < mib; i++) {
                    s.acquire();
                    client.call(a, Request.newBuilder().setWriteChunk(WriteChunkRequest.newBuilder()).build(),
                            block.retainedDuplicate(), 10_000).whenComplete((r, e) -> {
                                if (r != null) {
                                    r.close();
                                }
                                s.release();
                            });
                }
                s.acquire(window);
                double w = mib / ((System.nanoTime() - t0) / 1e9);
                s.release(window);
                t0 = System.nanoTime();
                for (int i = 0; i < mib; i++) {
                    s.acquire();
                    client.call(a, Request.newBuilder().setReadChunk(ReadChunkRequest.newBuilder()).build(), 10_000)
                            .whenComplete((r, e) -> {
                                if (r != null) {
                                    r.close();
                                }
                                s.release();
                            });
                }
                s.acquire(window);
                double r = mib / ((System.nanoTime() - t0) / 1e9);
                System.out.printf("send %.0f MiB/s, receive %.0f MiB/s%n", w, r);
            }
        }
    }
}
