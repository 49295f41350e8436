package dev.grainfs.shell.cmd;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove files (and directory trees with -r).",
        footer = {"", "Examples:", "  grainfs rm /tmp/old.log", "  grainfs rm -r /scratch/run-17"})
public final class RmCommand extends GrainCommand {
    @Option(names = {"-r", "-R", "--recursive"}, description = "remove directories and their contents")
    boolean recursive;
    @Option(names = {"-f", "--force"}, description = "ignore missing files")
    boolean force;
    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public RmCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "rm";
    }

    @Override
    protected int run() throws Exception {
        for (String p : paths) {
            String path = ctx.resolve(p);
            if (path.equals("/")) {
                throw GrainException.of(StatusCode.EPERM, "/: refusing to remove the root");
            }
            try {
                if (!recursive && ctx.client().lstat(path).isDir()) {
                    throw GrainException.of(StatusCode.EISDIR, "%s: is a directory (use -r)", path);
                }
                ctx.client().delete(ctx.client().config().caller(), path, recursive, false, false);
            } catch (GrainException e) {
                if (!(force && e.status() == StatusCode.ENOENT)) {
                    throw e;
                }
            }
        }
        return 0;
    }
}
