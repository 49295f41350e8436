package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.GrainFile;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import dev.grainfs.shell.Progress;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Copy a GrainFS file to the local disk (\"-\" writes standard output).",
        footer = {"", "Examples:", "  grainfs get /images/big.iso ./big.iso", "  grainfs get /logs/app.log -"})
public final class GetCommand extends GrainCommand {
    @Parameters(index = "0", paramLabel = "REMOTE")
    String remote;
    @Parameters(index = "1", paramLabel = "LOCAL")
    String local;

    public GetCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "get";
    }

    @Override
    protected int run() throws Exception {
        String src = ctx.resolve(remote);
        if (local.equals("-")) {
            try (GrainFile f = ctx.client().open(src, false)) {
                copy(f, System.out, null);
            }
            return 0;
        }
        Path dst = Path.of(local);
        if (Files.isDirectory(dst)) {
            dst = dst.resolve(src.substring(src.lastIndexOf('/') + 1));
        }
        Path tmp = dst.resolveSibling("." + dst.getFileName() + ".grainfs-part");
        try (GrainFile f = ctx.client().open(src, false);
             Progress bar = Progress.start(ctx, "get " + src, f.size())) {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                copy(f, out, bar);
            }
            Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }

    static void copy(GrainFile f, OutputStream out, Progress bar) throws Exception {
        byte[] buf = new byte[4 << 20];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        long off = 0;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            bb.clear();
            int n = f.read(off, bb);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            off += n;
            if (bar != null) {
                bar.stepTo(off);
            }
        }
        out.flush();
    }
}
