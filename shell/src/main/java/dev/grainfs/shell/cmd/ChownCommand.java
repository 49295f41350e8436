package dev.grainfs.shell.cmd;

import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "chown", description = "Change owner and/or group (numeric ids: UID[:GID] or :GID).",
        footer = {"", "Example:", "  grainfs chown 1000:1000 /home/alice"})
public final class ChownCommand extends GrainCommand {
    @Parameters(index = "0", paramLabel = "OWNER[:GROUP]")
    String owner;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public ChownCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "chown";
    }

    @Override
    protected int run() throws Exception {
        int uid = -1;
        int gid = -1;
        try {
            String[] parts = owner.split(":", -1);
            if (!parts[0].isEmpty()) {
                uid = Integer.parseInt(parts[0]);
            }
            if (parts.length > 1 && !parts[1].isEmpty()) {
                gid = Integer.parseInt(parts[1]);
            }
        } catch (NumberFormatException e) {
            throw new java.io.IOException("invalid owner '" + owner + "' (numeric UID[:GID])");
        }
        for (String p : paths) {
            ctx.client().chown(ctx.resolve(p), uid, gid);
        }
        return 0;
    }
}
