package dev.grainfs.shell.cmd;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.MetadataAdmin;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.StatusCode;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "failover", description = {
        "Promote the shadow master to active master (the old master is fenced by a higher epoch).",
        "Without --to, the first shadow among the --master addresses is promoted. Waits until the new",
        "master answers, and prints its address, epoch and how long the switch-over took."},
        footer = {"", "Examples:", "  grainfs failover --to 10.0.0.2:9501",
                "  grainfs --master 10.0.0.1:9500,10.0.0.2:9501 failover"})
public final class FailoverCommand extends GrainCommand {
    /** How long the promoted shadow may take to serve as a master. */
    static final long WAIT_MS = 60_000;

    @Option(names = "--to", paramLabel = "HOST:PORT", description = "the shadow master to promote")
    String to;
    @Option(names = "--force", description = "promote even a shadow that is behind the master (loses the changes "
            + "it lacks)")
    boolean force;

    public FailoverCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "failover";
    }

    @Override
    protected int run() throws Exception {
        List<HostPort> candidates = new ArrayList<>();
        if (to != null) {
            candidates.add(HostPort.parse(to));
        } else {
            candidates.addAll(ctx.config().masters());
        }
        long start = System.nanoTime();
        for (HostPort c : candidates) {
            ClientConfig one = new ClientConfig(List.of(c), ctx.config().caller(), ctx.config().packetBytes(),
                    ctx.config().writeWindow(), ctx.config().readPieceBytes(), ctx.config().readAhead(), 10_000, 0);
            long epoch;
            try (MetadataAdmin admin = MetadataAdmin.connect(one, ctx.security())) {
                epoch = admin.promote(force);
            } catch (GrainException e) {
                if (to != null || e.status() == StatusCode.EPERM || e.status() == StatusCode.EAGAIN) {
                    throw e;
                }
                continue; // not a shadow (the active master answers ENOTSUP), or unreachable
            }
            waitUntilActive(one, ctx.security());
            ctx.out().printf("promoted %s to active master, epoch %d (%d ms)%n", c, epoch,
                    (System.nanoTime() - start) / 1_000_000);
            return 0;
        }
        throw GrainException.of(StatusCode.ENOENT, "no shadow master among %s", candidates);
    }

    /** Waits until {@code c} answers as a master (safe mode get: a shadow refuses it). */
    private static void waitUntilActive(ClientConfig c, dev.grainfs.core.security.WireSecurity security) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        try (MetadataAdmin admin = MetadataAdmin.connect(c.withRetryMs(WAIT_MS), security)) {
            while (true) {
                try {
                    admin.safeModeGet();
                    return;
                } catch (GrainException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw GrainException.of(StatusCode.ETIMEDOUT, "the promoted master at %s does not answer: %s",
                                c.masters().get(0), e.getMessage());
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
