package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.wire.proto.DecommissionResponse;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "decommission", description = {"Take a chunkserver out of service: it gets no new replicas and",
        "each of its replicas is copied to the other servers (it keeps serving reads",
        "meanwhile). Once it shows DECOMMISSIONED it is safe to switch off. The state",
        "survives a master restart; --cancel returns the server to service."},
        footer = {"", "Examples:", "  grainfs report                          # find the server's id",
                "  grainfs decommission cs-7f3a --wait", "  grainfs decommission 10.0.0.12:9600",
                "  grainfs decommission --cancel cs-7f3a"})
public final class DecommissionCommand extends GrainCommand {
    @Parameters(index = "0", paramLabel = "SERVER", description = "chunkserver id or host:port (as report shows them)")
    String server;
    @Option(names = "--cancel", description = "return the server to service")
    boolean cancel;
    @Option(names = "--wait", description = "wait until the server is DECOMMISSIONED")
    boolean waitDone;
    @Option(names = "--timeout", description = "--wait gives up after this many seconds (exit 1); default ${DEFAULT-VALUE}")
    long timeoutSeconds = 3600;

    public DecommissionCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "decommission";
    }

    @Override
    protected int run() throws Exception {
        if (cancel && waitDone) {
            ctx.err().println("grainfs: decommission: --cancel and --wait do not go together");
            return 2;
        }
        try (MetadataAdmin admin = MetadataAdmin.connect(ctx.config(), ctx.security())) {
            DecommissionResponse r = admin.decommission(server, cancel);
            print(r);
            if (!waitDone) {
                return 0;
            }
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            long lastLeft = -1;
            while (!r.getState().equals("DECOMMISSIONED")) {
                if (!r.getState().equals("DECOMMISSIONING")) {
                    ctx.err().printf("grainfs: decommission: %s is %s%n", r.getServerId(), r.getState());
                    return 1;
                }
                if (System.nanoTime() > deadline) {
                    ctx.err().printf("grainfs: decommission: %s: %d chunks still to copy after %d s%n", r.getServerId(),
                            r.getChunksLeft(), timeoutSeconds);
                    return 1;
                }
                if (ctx.terminal() && r.getChunksLeft() != lastLeft) {
                    print(r);
                    lastLeft = r.getChunksLeft();
                }
                Thread.sleep(500);
                r = admin.decommission(server, false);
            }
            print(r);
            return 0;
        }
    }

    private void print(DecommissionResponse r) {
        if (r.getState().equals("DECOMMISSIONING")) {
            ctx.out().printf("%s: DECOMMISSIONING, %d chunks still to copy%n", r.getServerId(), r.getChunksLeft());
        } else {
            ctx.out().printf("%s: %s%n", r.getServerId(), r.getState());
        }
        ctx.out().flush();
    }
}
