package dev.grainfs.shell.cmd;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.client.GrainFile;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "append", description = "Append a local file (or standard input, \"-\") to a GrainFS file.",
        footer = {"", "Examples:", "  grainfs append today.log /logs/all.log",
                "  echo event | grainfs append --record - /logs/events"})
public final class AppendCommand extends GrainCommand {
    @Option(names = "--record", description = "append as one atomic record (GFS record append; at most a quarter chunk)")
    boolean record;
    @Parameters(index = "0", paramLabel = "LOCAL")
    String local;
    @Parameters(index = "1", paramLabel = "REMOTE")
    String remote;

    public AppendCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "append";
    }

    @Override
    protected int run() throws Exception {
        String dst = ctx.resolve(remote);
        GrainFile f;
        try {
            f = ctx.client().open(dst, true);
        } catch (GrainException e) {
            if (e.status() != StatusCode.ENOENT) {
                throw e;
            }
            f = ctx.client().create(dst, CreateOptions.defaults().truncate(false));
        }
        try (GrainFile file = f; InputStream in = local.equals("-") ? System.in : Files.newInputStream(Path.of(local))) {
            if (record) {
                file.recordAppend(ByteBuffer.wrap(in.readAllBytes()));
                return 0;
            }
            byte[] buf = new byte[4 << 20];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                file.append(ByteBuffer.wrap(buf, 0, n));
            }
        }
        return 0;
    }
}
