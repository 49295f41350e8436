package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "setrep", description = {"Set the replication of a file, or of every file under a directory.",
        "The master adds the missing replicas or removes the extra ones in the",
        "background; --wait waits until fsck of PATH shows none under- or over-replicated."},
        footer = {"", "Examples:", "  grainfs setrep 2 /logs/old", "  grainfs setrep --wait 4 /data/hot.db"})
public final class SetrepCommand extends GrainCommand {
    @Parameters(index = "0", paramLabel = "N", description = "replicas per chunk, 1..16")
    int replication;
    @Parameters(index = "1", paramLabel = "PATH", description = "file or directory (recursive)")
    String path;
    @Option(names = {"-w", "--wait"}, description = "wait until the chunks have N replicas")
    boolean waitDone;
    @Option(names = "--timeout", description = "--wait gives up after this many seconds (exit 1); default ${DEFAULT-VALUE}")
    long timeoutSeconds = 600;

    private long files;

    public SetrepCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "setrep";
    }

    @Override
    protected int run() throws Exception {
        String p = ctx.resolve(path);
        GrainClient client = ctx.client();
        FileStat st = client.stat(p);
        if (st.isDir()) {
            walk(client, p);
        } else {
            set(client, p);
        }
        ctx.out().printf("replication of %d file%s under %s set to %d%n", files, files == 1 ? "" : "s", p, replication);
        if (!waitDone) {
            return 0;
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            FsckResponse f = client.fsck(FsckRequest.newBuilder().setPath(p).build());
            if (f.getUnderReplicated() + f.getOverReplicated() == 0) {
                ctx.out().printf("done: %d chunks at replication %d%n", f.getChunks(), replication);
                return 0;
            }
            if (System.nanoTime() > deadline) {
                ctx.err().printf("grainfs: setrep: %s: %d chunks under- and %d over-replicated after %d s%n", p,
                        f.getUnderReplicated(), f.getOverReplicated(), timeoutSeconds);
                return 1;
            }
            Thread.sleep(500);
        }
    }

    private void walk(GrainClient client, String dir) throws Exception {
        for (DirEntry e : client.list(dir)) {
            String child = (dir.endsWith("/") ? dir : dir + "/") + e.name();
            if (e.stat().isDir()) {
                walk(client, child);
            } else if (e.stat().isFile()) {
                set(client, child);
            }
        }
    }

    private void set(GrainClient client, String file) throws Exception {
        client.setReplication(ctx.config().caller(), file, replication);
        files++;
    }
}
