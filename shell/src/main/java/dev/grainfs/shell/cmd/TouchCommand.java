package dev.grainfs.shell.cmd;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.CreateOptions;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "touch", description = "Create empty files, or set an existing file's times to now.",
        footer = {"", "Example:", "  grainfs touch /flags/ready"})
public final class TouchCommand extends GrainCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public TouchCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "touch";
    }

    @Override
    protected int run() throws Exception {
        for (String p : paths) {
            String path = ctx.resolve(p);
            try {
                ctx.client().utimes(path, -2, -2);
            } catch (GrainException e) {
                if (e.status() != StatusCode.ENOENT) {
                    throw e;
                }
                ctx.client().create(path, CreateOptions.defaults().exclusive(true).truncate(false)).close();
            }
        }
        return 0;
    }
}
