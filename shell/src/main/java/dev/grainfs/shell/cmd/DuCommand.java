package dev.grainfs.shell.cmd;

import dev.grainfs.core.client.DirEntry;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "du", description = "Bytes used by files under each path (logical size).",
        footer = {"", "Examples:", "  grainfs du -s /data", "  grainfs du -h /logs"})
public final class DuCommand extends GrainCommand {
    @Option(names = "-s", description = "only a total for each argument")
    boolean summary;
    @Option(names = "-h", description = "human-readable sizes")
    boolean human;
    @Parameters(arity = "0..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    public DuCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "du";
    }

    @Override
    protected int run() throws Exception {
        if (paths.isEmpty()) {
            paths.add(".");
        }
        for (String p : paths) {
            String path = ctx.resolve(p);
            FileStat s = ctx.client().lstat(path);
            long total = s.isDir() ? walk(path, !summary) : s.size();
            print(total, path);
        }
        return 0;
    }

    private long walk(String dir, boolean printDirs) throws Exception {
        long sum = 0;
        for (DirEntry e : ctx.client().list(dir)) {
            String child = dir.equals("/") ? "/" + e.name() : dir + "/" + e.name();
            if (e.stat().isDir()) {
                long sub = walk(child, printDirs);
                if (printDirs) {
                    print(sub, child);
                }
                sum += sub;
            } else {
                sum += e.stat().size();
            }
        }
        return sum;
    }

    private void print(long n, String path) {
        ctx.out().println((human ? Format.bytes(n) : Long.toString(n)) + "\t" + path);
    }
}
