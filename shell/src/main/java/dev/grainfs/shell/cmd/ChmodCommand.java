package dev.grainfs.shell.cmd;

import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "chmod", description = "Change permission bits (octal).",
        footer = {"", "Example:", "  grainfs chmod 640 /secrets/db.conf"})
public final class ChmodCommand extends GrainCommand {
    @Parameters(index = "0", paramLabel = "MODE")
    String mode;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public ChmodCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "chmod";
    }

    @Override
    protected int run() throws Exception {
        int m;
        try {
            m = Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw new java.io.IOException("invalid mode '" + mode + "' (octal, e.g. 644)");
        }
        for (String p : paths) {
            ctx.client().chmod(ctx.resolve(p), m);
        }
        return 0;
    }
}
