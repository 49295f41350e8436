package dev.grainfs.shell;

import dev.grainfs.core.client.DirEntry;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion: command names first, then remote paths (directories end in '/'). */
final class ShellCompleter implements Completer {
    private final CliContext ctx;
    private final List<String> commands;

    ShellCompleter(CliContext ctx, List<String> commands) {
        this.ctx = ctx;
        this.commands = commands;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        if (line.wordIndex() == 0) {
            for (String c : commands) {
                out.add(new Candidate(c));
            }
            return;
        }
        String word = line.word().substring(0, line.wordCursor());
        if (word.startsWith("-")) {
            return;
        }
        int slash = word.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : word.substring(0, slash + 1);
        String dir = ctx.resolve(dirPart.isEmpty() ? "." : dirPart);
        try {
            for (DirEntry e : ctx.client().list(dir)) {
                String value = dirPart + e.name() + (e.stat().isDir() ? "/" : "");
                out.add(new Candidate(value, e.name() + (e.stat().isDir() ? "/" : ""), null, null, null, null,
                        !e.stat().isDir()));
            }
        } catch (Exception ignored) {
            // no completions for a path we cannot list
        }
    }
}
