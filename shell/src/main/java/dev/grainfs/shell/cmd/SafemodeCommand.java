package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "safemode", description = {
        "Show, enter or leave the master's safe mode.",
        "In safe mode the master serves reads but refuses changes (clients wait and retry) and deletes no "
                + "replicas. A restarted master is in it until the chunkservers have reported enough chunks."},
        footer = {"", "Examples:", "  grainfs safemode get", "  grainfs safemode enter      # before maintenance",
                "  grainfs safemode leave", "  grainfs safemode wait --timeout 120   # until it is off"})
public final class SafemodeCommand extends GrainCommand {
    /** What to do. */
    public enum Action { get, enter, leave, wait }

    @Parameters(index = "0", paramLabel = "get|enter|leave|wait", description = "${COMPLETION-CANDIDATES}")
    Action action;

    @Option(names = "--timeout", description = "wait: give up after this many seconds (exit 1); default ${DEFAULT-VALUE}")
    long timeoutSeconds = 300;

    public SafemodeCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "safemode";
    }

    @Override
    protected int run() throws Exception {
        try (MetadataAdmin admin = MetadataAdmin.connect(ctx.config(), ctx.security())) {
            MetadataAdmin.SafeModeStatus s = switch (action) {
                case get -> admin.safeModeGet();
                case enter -> admin.safeModeEnter();
                case leave -> admin.safeModeLeave();
                case wait -> waitUntilOff(admin);
            };
            ctx.out().println(s.line());
            return action == Action.wait && s.on() ? 1 : 0;
        }
    }

    private MetadataAdmin.SafeModeStatus waitUntilOff(MetadataAdmin admin) throws Exception {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        MetadataAdmin.SafeModeStatus s = admin.safeModeGet();
        while (s.on() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            s = admin.safeModeGet();
        }
        return s;
    }
}
