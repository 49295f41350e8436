package dev.grainfs.dist;

import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.GrainShell;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "shell", description = "Interactive admin shell (reads commands from stdin when not on a terminal).",
        footer = {"", "Examples:", "  grainfs shell", "  echo 'ls -l /' | grainfs --master 10.0.0.1:9500 shell"})
final class ShellCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Override
    public Integer call() throws Exception {
        return runShell(Main.clientConfig(parent.master), parent.clientSecurity());
    }

    static int runShell(dev.grainfs.core.client.ClientConfig config, dev.grainfs.core.security.WireSecurity security)
            throws Exception {
        try (CliContext ctx = new CliContext(config, new java.io.PrintWriter(System.out, true),
                new java.io.PrintWriter(System.err, true), System.console() != null)) {
            ctx.setSecurity(security);
            String home = System.getenv("HOME") != null ? System.getenv("HOME") : System.getProperty("user.home");
            Path history = Path.of(home, ".grainfs_history");
            return new GrainShell(ctx, history).run();
        }
    }
}
