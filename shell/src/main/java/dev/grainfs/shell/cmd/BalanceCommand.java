package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.wire.proto.BalanceAction;
import dev.grainfs.core.wire.proto.BalanceResponse;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "balance", description = {"Start the master's balancer: it moves replicas from chunkservers",
        "above the average disk utilisation + threshold to those below it (copy, update",
        "the map, delete the source), keeping each chunk on two racks when there are two,",
        "until every server is within the threshold. It runs in the master: the command",
        "may exit; --status and --stop reach it later."},
        footer = {"", "Examples:", "  grainfs balance --wait", "  grainfs balance --threshold 5 --bandwidth 50m",
                "  grainfs balance --status", "  grainfs balance --stop"})
public final class BalanceCommand extends GrainCommand {
    @Option(names = "--threshold", paramLabel = "PCT",
            description = "allowed distance from the average utilisation, in percent points; default 10")
    double thresholdPct;
    @Option(names = "--bandwidth", paramLabel = "RATE", description = "bytes per second the moves may start (64m); default 10m")
    String bandwidth;
    @Option(names = "--wait", description = "wait until the balancer ends")
    boolean waitDone;
    @Option(names = "--status", description = "show what the balancer is doing")
    boolean status;
    @Option(names = "--stop", description = "stop starting moves (those under way finish)")
    boolean stop;
    @Option(names = "--timeout", description = "--wait gives up after this many seconds (exit 1); default ${DEFAULT-VALUE}")
    long timeoutSeconds = 3600;

    public BalanceCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "balance";
    }

    @Override
    protected int run() throws Exception {
        if (status && stop) {
            ctx.err().println("grainfs: balance: --status and --stop do not go together");
            return 2;
        }
        long rate = bandwidth == null ? 0 : Format.parseSize(bandwidth);
        try (MetadataAdmin admin = MetadataAdmin.connect(ctx.config(), ctx.security())) {
            BalanceAction a = status ? BalanceAction.BALANCE_STATUS : stop ? BalanceAction.BALANCE_STOP
                    : BalanceAction.BALANCE_START;
            BalanceResponse r = admin.balance(a, thresholdPct, rate);
            ctx.out().println(r.getStatus());
            ctx.out().flush();
            if (!waitDone) {
                return 0;
            }
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            String last = r.getStatus();
            while (r.getRunning()) {
                if (System.nanoTime() > deadline) {
                    ctx.err().printf("grainfs: balance: still running after %d s: %s%n", timeoutSeconds, r.getStatus());
                    return 1;
                }
                Thread.sleep(500);
                r = admin.balance(BalanceAction.BALANCE_STATUS, 0, 0);
                if (ctx.terminal() && !r.getStatus().equals(last)) {
                    ctx.out().println(r.getStatus());
                    ctx.out().flush();
                    last = r.getStatus();
                }
            }
            if (!r.getStatus().equals(last)) {
                ctx.out().println(r.getStatus());
            }
            return r.getBalanced() ? 0 : 1;
        }
    }
}
