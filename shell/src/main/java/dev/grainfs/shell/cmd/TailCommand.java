package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.GrainFile;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainCommand;
import java.nio.ByteBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = "Print the last bytes of a file; -f keeps printing what is appended.",
        footer = {"", "Examples:", "  grainfs tail /logs/app.log", "  grainfs tail -f /logs/app.log"})
public final class TailCommand extends GrainCommand {
    @Option(names = "-f", description = "follow: print appended data until interrupted")
    boolean follow;
    @Option(names = "-c", description = "bytes to show (default 1024)")
    long bytes = 1024;
    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    public TailCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "tail";
    }

    @Override
    protected int run() throws Exception {
        try (GrainFile f = ctx.client().open(ctx.resolve(path), false)) {
            long off = Math.max(0, f.size() - bytes);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (true) {
                buf.clear();
                int n = f.read(off, buf);
                if (n > 0) {
                    System.out.write(buf.array(), 0, n);
                    System.out.flush();
                    off += n;
                    continue;
                }
                if (!follow) {
                    return 0;
                }
                Thread.sleep(500);
            }
        }
    }
}
