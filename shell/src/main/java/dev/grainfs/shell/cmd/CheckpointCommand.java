package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;

@Command(name = "checkpoint", description = {
        "Have the master write a checkpoint of its metadata now and drop the log it covers.",
        "Prints the transaction id (last logged operation) the checkpoint covers."},
        footer = {"", "Example:", "  grainfs checkpoint      # e.g. before backing up the meta dir"})
public final class CheckpointCommand extends GrainCommand {
    public CheckpointCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "checkpoint";
    }

    @Override
    protected int run() throws Exception {
        try (MetadataAdmin admin = MetadataAdmin.connect(ctx.config(), ctx.security())) {
            ctx.out().println("checkpoint written at txid " + admin.checkpoint());
            return 0;
        }
    }
}
