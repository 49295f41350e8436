package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.GrainFile;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cat", description = "Print files to standard output.",
        footer = {"", "Example:", "  grainfs cat /etc/motd"})
public final class CatCommand extends GrainCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public CatCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "cat";
    }

    @Override
    protected int run() throws Exception {
        ctx.out().flush();
        for (String p : paths) {
            try (GrainFile f = ctx.client().open(ctx.resolve(p), false)) {
                GetCommand.copy(f, System.out, null);
            }
        }
        return 0;
    }
}
