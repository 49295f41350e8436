package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.FsStats;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "df", description = "Cluster capacity, use and free space (live chunkservers).",
        footer = {"", "Example:", "  grainfs df"})
public final class DfCommand extends GrainCommand {
    @Option(names = "--json", description = "machine-readable")
    boolean json;

    public DfCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "df";
    }

    @Override
    protected int run() throws Exception {
        FsStats s = ctx.client().statfs();
        if (json) {
            ctx.out().printf("{\"capacity\": %d, \"used\": %d, \"free\": %d, \"files\": %d, \"chunks\": %d, "
                    + "\"live_servers\": %d}%n", s.capacity(), s.used(), s.free(), s.files(), s.chunks(), s.liveServers());
            return 0;
        }
        long pct = s.capacity() == 0 ? 0 : Math.round(100.0 * s.used() / s.capacity());
        ctx.out().printf("%-20s %10s %10s %10s %5s %8s %8s%n", "Filesystem", "Size", "Used", "Avail", "Use%", "Files",
                "Servers");
        ctx.out().printf("%-20s %10s %10s %10s %4d%% %8d %8d%n", "grainfs@" + ctx.master(), Format.bytes(s.capacity()),
                Format.bytes(s.used()), Format.bytes(s.free()), pct, s.files(), s.liveServers());
        return 0;
    }
}
