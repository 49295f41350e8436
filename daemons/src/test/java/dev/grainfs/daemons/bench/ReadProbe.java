package dev.grainfs.daemons.bench;

import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.Reply;
import dev.grainfs.core.wire.RpcClient;
import dev.grainfs.core.wire.proto.ChunkLocation;
import dev.grainfs.core.wire.proto.ReadChunkRequest;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.daemons.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Where read latency goes: single ReadChunk round trips against a real chunkserver. */
public final class ReadProbe {
    public static void main(String[] args) throws Exception {
        try (MiniCluster c = MiniCluster.builder(Path.of(args[0])).start(); GrainClient client = c.client()) {
            byte[] block = new byte[1 << 20];
            try (GrainFile f = client.create("/p", CreateOptions.defaults())) {
                for (int i = 0; i < 64; i++) {
                    f.write((long) i << 20, ByteBuffer.wrap(block));
                }
            }
            ChunkLocation loc = client.locations("/p").get(0);
            var a = loc.getReplicas(0);
            try (RpcClient rpc = new RpcClient("probe", 1)) {
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 200; i++) {
                        Request r = Request.newBuilder().setReadChunk(ReadChunkRequest.newBuilder().setHandle(loc.getHandle())
                                .setVersion(loc.getVersion()).setOffset((i % 64L) << 20).setLength(1 << 20)).build();
                        try (Reply rep = rpc.call(new HostPort(a.getHost(), a.getPort()), r, 10_000).join()) {
                            if (rep.payload().readableBytes() != 1 << 20) {
                                throw new IllegalStateException("short");
                            }
                        }
                    }
                    System.out.printf("sequential 1 MiB ReadChunk: %.2f ms each%n", (System.nanoTime() - t0) / 1e6 / 200);
                }
            }
        }
    }
}
