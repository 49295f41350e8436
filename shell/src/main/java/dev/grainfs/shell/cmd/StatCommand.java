package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.FileStat;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stat", description = "Show a file's size, chunks, replication, owner, mode and times.",
        footer = {"", "Examples:", "  grainfs stat /images/big.iso", "  grainfs stat --json /images/big.iso"})
public final class StatCommand extends GrainCommand {
    @Option(names = "--json", description = "one JSON object per path")
    boolean json;
    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<String> paths;

    public StatCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "stat";
    }

    @Override
    protected int run() throws Exception {
        for (String p : paths) {
            String path = ctx.resolve(p);
            FileStat s = ctx.client().lstat(path);
            if (json) {
                ctx.out().println(Format.json(path, s));
                continue;
            }
            ctx.out().printf("  File: %s%s%n", path, s.isSymlink() ? " -> " + s.symlinkTarget() : "");
            ctx.out().printf("  Type: %s%n", s.type().name().toLowerCase());
            ctx.out().printf("  Size: %d (%s)%n", s.size(), Format.bytes(s.size()));
            if (s.isFile()) {
                ctx.out().printf("Chunks: %d of %s%n", s.chunkCount(), Format.bytes(s.chunkSize()));
                ctx.out().printf("Replication: %d%n", s.replication());
            }
            ctx.out().printf("Access: (%04o/%s)  Uid: %d  Gid: %d  Links: %d  Inode: %d%n", s.mode(), Format.mode(s),
                    s.uid(), s.gid(), s.nlink(), s.inode());
            ctx.out().printf("Modify: %s%nChange: %s%nAccess: %s%n", Format.isoTime(s.mtimeNs()),
                    Format.isoTime(s.ctimeNs()), Format.isoTime(s.atimeNs()));
        }
        return 0;
    }
}
