package dev.grainfs.shell.cmd;

import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mkdir", description = "Make directories.",
        footer = {"", "Examples:", "  grainfs mkdir /logs", "  grainfs mkdir -p /data/2026/11"})
public final class MkdirCommand extends GrainCommand {
    @Option(names = "-p", description = "make parents as needed; no error if it exists")
    boolean parents;
    @Option(names = "-m", description = "permission bits (octal), default 755")
    String mode = "755";
    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public MkdirCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "mkdir";
    }

    @Override
    protected int run() throws Exception {
        for (String p : paths) {
            ctx.client().mkdir(ctx.client().config().caller(), ctx.resolve(p), Integer.parseInt(mode, 8), parents);
        }
        return 0;
    }
}
