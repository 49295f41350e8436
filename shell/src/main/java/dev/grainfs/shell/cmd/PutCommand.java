package dev.grainfs.shell.cmd;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import dev.grainfs.shell.Progress;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", description = "Copy a local file into GrainFS (\"-\" reads standard input).",
        footer = {"", "Examples:", "  grainfs put ./big.iso /images/big.iso", "  grainfs put -r 2 notes.txt /tmp/",
                "  tar c dir | grainfs put - /backups/dir.tar"})
public final class PutCommand extends GrainCommand {
    @Option(names = {"-r", "--replication"}, description = "replicas of the new file (default: cluster's)")
    int replication;
    @Option(names = "--chunk-size", description = "chunk size of the new file, e.g. 64m")
    String chunkSize;
    @Parameters(index = "0", paramLabel = "LOCAL")
    String local;
    @Parameters(index = "1", paramLabel = "REMOTE")
    String remote;

    public PutCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "put";
    }

    @Override
    protected int run() throws Exception {
        String dst = ctx.resolve(remote);
        boolean stdin = local.equals("-");
        Path src = stdin ? null : Path.of(local);
        if (!stdin && Files.isDirectory(src)) {
            throw new java.io.IOException(local + ": is a directory");
        }
        try {
            FileStat st = ctx.client().stat(dst);
            if (st.isDir()) {
                if (stdin) {
                    throw GrainException.of(StatusCode.EISDIR, "%s: is a directory", dst);
                }
                dst = (dst.endsWith("/") ? dst : dst + "/") + src.getFileName();
            }
        } catch (GrainException e) {
            if (e.status() != StatusCode.ENOENT) {
                throw e;
            }
        }
        long total = stdin ? -1 : Files.size(src);
        CreateOptions o = CreateOptions.defaults().withReplication(replication)
                .withChunkSize(chunkSize == null ? 0 : Format.parseSize(chunkSize));
        // write under a hidden name and rename when complete: a failed put leaves no half file visible
        int slash = dst.lastIndexOf('/');
        String tmp = dst.substring(0, slash + 1) + "." + dst.substring(slash + 1) + "._COPYING_";
        boolean done = false;
        try (InputStream in = stdin ? System.in : Files.newInputStream(src);
             GrainFile f = ctx.client().create(tmp, o.exclusive(false));
             Progress bar = Progress.start(ctx, "put " + dst, total)) {
            byte[] buf = new byte[4 << 20];
            long off = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                f.write(off, ByteBuffer.wrap(buf, 0, n));
                off += n;
                bar.stepTo(off);
            }
            f.close();
            ctx.client().rename(tmp, dst);
            done = true;
        } finally {
            if (!done) {
                try {
                    ctx.client().delete(tmp, false);
                } catch (GrainException ignored) {
                    // best effort: the temp name is hidden and can be removed later
                }
            }
        }
        return 0;
    }
}
