package dev.grainfs.shell;

import dev.grainfs.shell.cmd.AppendCommand;
import dev.grainfs.shell.cmd.BalanceCommand;
import dev.grainfs.shell.cmd.CatCommand;
import dev.grainfs.shell.cmd.CheckpointCommand;
import dev.grainfs.shell.cmd.ChmodCommand;
import dev.grainfs.shell.cmd.ChownCommand;
import dev.grainfs.shell.cmd.DecommissionCommand;
import dev.grainfs.shell.cmd.DfCommand;
import dev.grainfs.shell.cmd.DuCommand;
import dev.grainfs.shell.cmd.FailoverCommand;
import dev.grainfs.shell.cmd.FsckCommand;
import dev.grainfs.shell.cmd.GetCommand;
import dev.grainfs.shell.cmd.LsCommand;
import dev.grainfs.shell.cmd.MkdirCommand;
import dev.grainfs.shell.cmd.MvCommand;
import dev.grainfs.shell.cmd.PutCommand;
import dev.grainfs.shell.cmd.ReportCommand;
import dev.grainfs.shell.cmd.RmCommand;
import dev.grainfs.shell.cmd.SafemodeCommand;
import dev.grainfs.shell.cmd.SetrepCommand;
import dev.grainfs.shell.cmd.StatCommand;
import dev.grainfs.shell.cmd.TailCommand;
import dev.grainfs.shell.cmd.TouchCommand;
import java.util.List;
import picocli.CommandLine;

/** The file and admin commands, shared by the one-shot CLI and the interactive shell. */
public final class Commands {
    public static final List<Class<? extends GrainCommand>> ALL = List.of(
            LsCommand.class, MkdirCommand.class, PutCommand.class, GetCommand.class, CatCommand.class,
            RmCommand.class, MvCommand.class, StatCommand.class, DuCommand.class, DfCommand.class,
            TouchCommand.class, AppendCommand.class, ChmodCommand.class, ChownCommand.class, TailCommand.class,
            SafemodeCommand.class, CheckpointCommand.class, FsckCommand.class, FailoverCommand.class,
            ReportCommand.class, SetrepCommand.class, DecommissionCommand.class, BalanceCommand.class);

    private Commands() {
    }

    /** Builds command objects, handing each the context. */
    public static CommandLine.IFactory factory(CliContext ctx) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getConstructor(CliContext.class).newInstance(ctx);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        };
    }

    /** Adds every command as a subcommand of {@code root}. */
    public static void addTo(CommandLine root, CliContext ctx) {
        CommandLine.IFactory f = factory(ctx);
        for (Class<? extends GrainCommand> c : ALL) {
            root.addSubcommand(new CommandLine(c, f));
        }
    }
}
