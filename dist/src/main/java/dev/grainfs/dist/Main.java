package dev.grainfs.dist;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Commands;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The `grainfs` command: one subcommand per daemon and per file or admin command (see CLI.md).
 * Client options (--master, --cluster-key) may stand before the command name.
 */
@Command(name = "grainfs", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "GrainFS: a GFS-style distributed file system.",
        subcommands = {KeygenCommand.class, MasterCommand.class, ShadowCommand.class, ChunkServerCommand.class,
                LocalCommand.class,
                ShellCommand.class, NodeCommand.class, MountCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--master", paramLabel = "HOST:PORT[,HOST:PORT]",
            description = "master address(es); default $GRAINFS_MASTER, then 127.0.0.1:9500")
    String master;

    @Option(names = "--cluster-key", paramLabel = "FILE",
            description = "cluster key file (see `grainfs keygen`); default $GRAINFS_CLUSTER_KEY, then /etc/grainfs/cluster.key")
    String clusterKey;
    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA bundle: talk TLS to the cluster, trusting this CA")
    java.nio.file.Path tlsCa;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM client certificate (for mutual TLS)")
    java.nio.file.Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM key of --tls-cert")
    java.nio.file.Path tlsKey;

    /** The key and TLS settings of this client process, as its options and the defaults say. */
    dev.grainfs.core.security.WireSecurity clientSecurity() throws java.io.IOException {
        return SecurityOptions.resolve(clusterKey == null ? null : java.nio.file.Path.of(clusterKey), tlsCert, tlsKey, tlsCa);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        boolean terminal = System.console() != null;
        CliContext ctx = new CliContext(ClientConfig.of(defaultMaster().get(0)), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), terminal);
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        Commands.addTo(cl, ctx);
        cl.setExecutionStrategy(parsed -> {
            ctx.setConfig(clientConfig(main.master));
            try {
                ctx.setSecurity(main.clientSecurity());
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.err.println("grainfs: " + e.getMessage());
                return 2;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        for (CommandLine sub : cl.getSubcommands().values()) {
            // every command answers --help (du keeps -h for human-readable sizes)
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null) {
                if (spec.findOption("-h") == null) {
                    spec.mixinStandardHelpOptions(true);
                } else {
                    spec.addOption(CommandLine.Model.OptionSpec.builder("--help").usageHelp(true)
                            .description("Show this help message and exit.").build());
                }
            }
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("grainfs: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return 2;
        });
        try {
            ConfigFile.install(cl, args);
        } catch (java.io.IOException e) {
            System.err.println("grainfs: cannot read config file: " + e.getMessage());
            return 2;
        } catch (CommandLine.ParameterException e) {
            System.err.println("grainfs: " + e.getMessage());
            return 2;
        }
        try {
            return cl.execute(args);
        } finally {
            ctx.close();
        }
    }

    /** The client configuration for the given --master (or the defaults). */
    static ClientConfig clientConfig(String masterOption) {
        List<HostPort> masters = masterOption == null ? defaultMaster() : parseMasters(masterOption);
        return new ClientConfig(masters, ClientConfig.currentUser(), 1 << 20, 16, 1 << 20, 8, 30_000, 10_000);
    }

    static List<HostPort> defaultMaster() {
        String env = System.getenv("GRAINFS_MASTER");
        return parseMasters(env == null || env.isBlank() ? "127.0.0.1:9500" : env);
    }

    static List<HostPort> parseMasters(String s) {
        List<HostPort> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(HostPort.parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no master address in '" + s + "'");
        }
        return out;
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"grainfs " + (v == null ? "dev" : v)};
        }
    }
}
