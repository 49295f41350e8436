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

@Command(name = "ls", description = "List a directory (or show one file).",
        footer = {"", "Examples:", "  grainfs ls -l /logs", "  grainfs ls -R --json /data"})
public final class LsCommand extends GrainCommand {
    @Option(names = "-l", description = "long format: mode, links, owner, group, size, time, name")
    boolean longFormat;
    @Option(names = "-R", description = "list subdirectories recursively")
    boolean recursive;
    @Option(names = "--json", description = "one JSON array of entries")
    boolean json;
    @Parameters(arity = "0..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    public LsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "ls";
    }

    @Override
    protected int run() throws Exception {
        if (paths.isEmpty()) {
            paths.add(".");
        }
        List<String> jsonItems = new ArrayList<>();
        int rc = 0;
        for (String p : paths) {
            String path = ctx.resolve(p);
            FileStat st = ctx.client().stat(path);
            if (!st.isDir()) {
                print(path, path, st, jsonItems);
                continue;
            }
            rc |= listDir(path, paths.size() > 1 || recursive, jsonItems);
        }
        if (json) {
            ctx.out().println("[" + String.join(", ", jsonItems) + "]");
        }
        return rc;
    }

    private int listDir(String path, boolean header, List<String> jsonItems) throws Exception {
        List<DirEntry> entries = ctx.client().list(path);
        if (header && !json) {
            ctx.out().println(path + ":");
        }
        for (DirEntry e : entries) {
            String child = path.equals("/") ? "/" + e.name() : path + "/" + e.name();
            print(e.name(), child, e.stat(), jsonItems);
        }
        if (recursive) {
            for (DirEntry e : entries) {
                if (e.stat().isDir()) {
                    if (!json) {
                        ctx.out().println();
                    }
                    listDir(path.equals("/") ? "/" + e.name() : path + "/" + e.name(), true, jsonItems);
                }
            }
        }
        return 0;
    }

    private void print(String shown, String full, FileStat s, List<String> jsonItems) {
        if (json) {
            jsonItems.add(Format.json(full, s));
        } else if (longFormat) {
            String name = s.isSymlink() ? shown + " -> " + s.symlinkTarget() : shown;
            ctx.out().printf("%s %2d %5d %5d %12d %s %s%n", Format.mode(s), s.nlink(), s.uid(), s.gid(), s.size(),
                    Format.time(s.mtimeNs()), name);
        } else {
            ctx.out().println(shown);
        }
    }
}
