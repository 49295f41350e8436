package dev.grainfs.shell.cmd;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "mv", description = "Rename or move a file or directory (atomic).",
        footer = {"", "Examples:", "  grainfs mv /tmp/a /tmp/b", "  grainfs mv /inbox/report.pdf /archive/"})
public final class MvCommand extends GrainCommand {
    @Parameters(index = "0", paramLabel = "SRC")
    String src;
    @Parameters(index = "1", paramLabel = "DST")
    String dst;

    public MvCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "mv";
    }

    @Override
    protected int run() throws Exception {
        String from = ctx.resolve(src);
        String to = ctx.resolve(dst);
        try {
            if (ctx.client().stat(to).isDir() && !ctx.client().lstat(from).isDir()) {
                to = (to.equals("/") ? "" : to) + from.substring(from.lastIndexOf('/'));
            }
        } catch (GrainException e) {
            if (e.status() != StatusCode.ENOENT) {
                throw e;
            }
        }
        ctx.client().rename(from, to);
        return 0;
    }
}
