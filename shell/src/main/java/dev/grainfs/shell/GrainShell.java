package dev.grainfs.shell;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.FileStat;
import dev.grainfs.core.wire.proto.StatusCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;

/**
 * The interactive admin shell: the same commands as the one-shot CLI, plus cd, pwd, help and exit,
 * with history across sessions and tab completion of commands and remote paths. Not on a terminal
 * it reads commands from stdin, one per line, and returns the last command's exit code.
 */
public final class GrainShell {
    private final CliContext ctx;
    private final Path historyFile;
    private int lastExit;

    public GrainShell(CliContext ctx, Path historyFile) {
        this.ctx = ctx;
        this.historyFile = historyFile;
    }

    /** Runs until exit or end of input; returns the exit code of the last command. */
    public int run() throws IOException {
        if (System.console() == null) {
            return runScript(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("grainfs")
                    .completer(new ShellCompleter(ctx, commandNames()))
                    .parser(new DefaultParser())
                    .history(new DefaultHistory())
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    .variable(LineReader.HISTORY_SIZE, 10_000)
                    .build();
            AtomicReference<Thread> running = new AtomicReference<>();
            terminal.handle(Terminal.Signal.INT, sig -> {
                Thread t = running.get();
                if (t != null) {
                    t.interrupt();
                }
            });
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line
                } catch (EndOfFileException e) {
                    break;
                }
                if (!runInterruptibly(line, running)) {
                    break;
                }
            }
            reader.getHistory().save();
        }
        return lastExit;
    }

    private boolean runInterruptibly(String line, AtomicReference<Thread> running) {
        boolean[] keepGoing = {true};
        Thread worker = new Thread(() -> keepGoing[0] = execute(line), "grainfs-shell-command");
        running.set(worker);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
        }
        running.set(null);
        if (worker.isInterrupted() || Thread.interrupted()) {
            ctx.err().println("^C");
        }
        return keepGoing[0];
    }

    int runScript(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!execute(line)) {
                break;
            }
        }
        return lastExit;
    }

    String prompt() {
        return "grainfs " + ctx.master() + ":" + ctx.cwd() + "> ";
    }

    /** Runs one command line; returns false when the shell should end. */
    boolean execute(String line) {
        List<String> words = split(line);
        if (words.isEmpty() || words.get(0).startsWith("#")) {
            return true;
        }
        String cmd = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (cmd) {
            case "exit", "quit" -> {
                return false;
            }
            case "pwd" -> {
                ctx.out().println(ctx.cwd());
                lastExit = 0;
            }
            case "cd" -> lastExit = cd(args.isEmpty() ? "/" : args.get(0));
            case "help" -> lastExit = help(args);
            default -> {
                CommandLine cl = root();
                lastExit = cl.execute(words.toArray(new String[0]));
            }
        }
        ctx.out().flush();
        ctx.err().flush();
        return true;
    }

    private int cd(String target) {
        String p = ctx.resolve(target);
        try {
            FileStat s = ctx.client().stat(p);
            if (!s.isDir()) {
                throw GrainException.of(StatusCode.ENOTDIR, "%s: not a directory", p);
            }
            ctx.cd(p);
            return 0;
        } catch (GrainException e) {
            ctx.err().println("grainfs: cd: " + GrainCommand.describe(e));
            return 1;
        }
    }

    private int help(List<String> args) {
        CommandLine cl = root();
        if (args.isEmpty()) {
            ctx.out().println("Commands (help COMMAND for details and examples):");
            for (String n : commandNames()) {
                CommandLine sub = cl.getSubcommands().get(n);
                String d = sub == null ? builtinHelp(n) : summary(sub.getCommandSpec().usageMessage().description());
                ctx.out().printf("  %-12s %s%n", n, d);
            }
            return 0;
        }
        CommandLine sub = cl.getSubcommands().get(args.get(0));
        if (sub == null) {
            ctx.out().println(args.get(0) + ": " + builtinHelp(args.get(0)));
            return builtinHelp(args.get(0)).startsWith("no such") ? 1 : 0;
        }
        sub.usage(ctx.out());
        return 0;
    }

    /** A command's first sentence, cut at its colon when long: one line of the command list. */
    static String summary(String[] description) {
        String all = String.join(" ", description).trim();
        int dot = all.indexOf(". ");
        String s = dot > 0 ? all.substring(0, dot) : all.endsWith(".") ? all.substring(0, all.length() - 1) : all;
        int colon = s.indexOf(':');
        return s.length() > 72 && colon > 0 ? s.substring(0, colon) : s;
    }

    private static String builtinHelp(String n) {
        return switch (n) {
            case "cd" -> "change the current remote directory (cd /data, cd .., cd)";
            case "pwd" -> "print the current remote directory";
            case "help" -> "list commands, or show one command's help with examples";
            case "exit" -> "leave the shell (Ctrl-D does too)";
            default -> "no such command";
        };
    }

    private CommandLine root() {
        CommandLine cl = new CommandLine(new Root());
        Commands.addTo(cl, ctx);
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setParameterExceptionHandler((ex, a) -> {
            ctx.err().println("grainfs: " + ex.getMessage());
            return 2;
        });
        cl.setUnmatchedArgumentsAllowed(false);
        return cl;
    }

    List<String> commandNames() {
        List<String> names = new ArrayList<>(root().getSubcommands().keySet());
        names.addAll(List.of("cd", "pwd", "help", "exit"));
        java.util.Collections.sort(names);
        return names;
    }

    /** Splits a line into words, honouring single and double quotes and backslashes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    @CommandLine.Command(name = "", description = "GrainFS shell")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }
}
